"""Transports by channel: SMS (console, outbox, twilio, or a dotted path) and email."""

from django.conf import settings
from django.utils.module_loading import import_string

from ..enums import Channel
from .base import Message, Transport, TransportError

SMS_TRANSPORTS = {
    "console": "reminders.notify.console.ConsoleTransport",
    "outbox": "reminders.notify.outbox.OutboxTransport",
    "twilio": "reminders.notify.twilio.TwilioTransport",
}


def transport_for(channel: str) -> Transport:
    """A ready transport for the channel, as configured now (settings are read each time)."""
    if channel == Channel.EMAIL:
        from .email import EmailTransport

        return EmailTransport()
    name = settings.REMINDERS_SMS_TRANSPORT
    return import_string(SMS_TRANSPORTS.get(name, name))()


__all__ = ["Message", "Transport", "TransportError", "transport_for"]
