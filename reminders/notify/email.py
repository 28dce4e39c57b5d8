"""Email through Django's configured backend (console locally, SMTP in production)."""

import contextlib
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers

from .base import Message, Transport, TransportError

# Headers whose value is one long URL list that must reach the mail provider as written.
UNFOLDED_HEADERS = {"list-unsubscribe"}
# RFC 5322 2.1.1: a line is at most 998 characters, CRLF excluded.
MAX_LINE = 998


class UnfoldedHeader(str):
    """A header written on one line, exactly as given.

    Python's email policy folds a header longer than 78 characters, and a single long word
    such as a URL can only be "folded" as RFC 2047 encoded words (=?utf-8?q?=3Chttps...),
    which mail providers do not decode in List-Unsubscribe: one-click unsubscribe (RFC 8058)
    then fails. The email package stores a value with a `name` as a ready header object and
    writes it with its fold(); being a str, Django passes it through unchanged.
    """

    def __new__(cls, name: str, value: str) -> "UnfoldedHeader":
        line = f"{name}: {value}"
        if not line.isascii() or "\r" in line or "\n" in line or len(line) > MAX_LINE:
            raise ValueError(f"{name} must be one line of ASCII of at most {MAX_LINE} characters")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self) -> tuple[str, str]:  # copies (the test backend deep-copies)
        return (self.name, str(self))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _headers(message: Message) -> dict[str, str]:
    return {
        name: UnfoldedHeader(name, value) if name.lower() in UNFOLDED_HEADERS else value
        for name, value in message.headers.items()
    }


class EmailTransport(Transport):
    def __init__(self) -> None:
        self.connection = None  # kept open by open() for a batch; else one per message

    def open(self) -> None:
        self.connection = mailers.default
        try:
            self.connection.open()
        except (smtplib.SMTPException, OSError):
            self.connection = None  # each send then tries on its own, and reports its error

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def send(self, message: Message) -> str:
        message_id = f"<{uuid.uuid4().hex}@reminders>"
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={**_headers(message), "Message-ID": message_id},
            connection=self.connection,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused:
            raise TransportError("The mail server refused the recipient.", permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()  # a kept connection that broke: the next send opens its own
            raise TransportError(f"Mail server trouble ({type(error).__name__}).") from None
        return message_id
