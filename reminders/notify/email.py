"""Email through Django's configured backend (console locally, SMTP in production)."""

import contextlib
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers

from .base import Message, Transport, TransportError


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
            headers={**message.headers, "Message-ID": message_id},
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
