"""Messages printed to standard output: the local default, shows what a resident would get.

Never the recipient and never a secret: what a console prints ends up in logs (a worker's
output is its log). Each message shows its kind, then its text with every link and every
string the message marks private (a confirmation code) hidden. To confirm a subscription
locally, use the outbox (SMS_TRANSPORT=outbox) or the file mail backend: files, not logs.
"""

import re
import sys
import uuid

from django.core.mail.backends.base import BaseEmailBackend

from .base import Message, Transport

LINK = re.compile(r"https?://\S+")
HIDDEN_LINK = "[link hidden]"
HIDDEN = "[hidden]"


def printable(text: str, private: tuple[str, ...] = ()) -> str:
    """`text` with the private strings and every link hidden."""
    for secret in sorted(filter(None, private), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return LINK.sub(HIDDEN_LINK, text)


class ConsoleTransport(Transport):
    def send(self, message: Message) -> str:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        body = printable(message.sms, message.private)
        sys.stdout.write(f"--- SMS {message.tag} ---\n{body}\n---\n")
        sys.stdout.flush()
        return provider_id


class ConsoleEmailBackend(BaseEmailBackend):
    """Django's console mail backend without the addresses, the headers or any link: the
    subject and the text part only (the HTML part says the same)."""

    def send_messages(self, email_messages) -> int:
        for email in email_messages:
            sys.stdout.write(
                f"--- Email ---\nSubject: {email.subject}\n\n{printable(email.body)}\n---\n"
            )
        sys.stdout.flush()
        return len(email_messages)
