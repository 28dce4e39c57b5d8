"""Email through Django's configured backend (console locally, SMTP in production)."""

import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .base import Message, Transport, TransportError


class EmailTransport(Transport):
    def send(self, message: Message) -> str:
        message_id = f"<{uuid.uuid4().hex}@reminders>"
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={**message.headers, "Message-ID": message_id},
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused:
            raise TransportError("The mail server refused the recipient.", permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(f"Mail server trouble ({type(error).__name__}).") from None
        return message_id
