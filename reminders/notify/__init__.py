"""Transports by channel: SMS (console, outbox, twilio, or a dotted path) and email.

Inside `batch()` (a worker's task of several deliveries) each channel's transport is made
once and kept open: one Twilio HTTP session, one SMTP connection, not one per message.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils.module_loading import import_string

from ..enums import Channel
from .base import Message, Transport, TransportError

SMS_TRANSPORTS = {
    "console": "reminders.notify.console.ConsoleTransport",
    "outbox": "reminders.notify.outbox.OutboxTransport",
    "twilio": "reminders.notify.twilio.TwilioTransport",
}

_open = threading.local()


def transport_for(channel: str) -> Transport:
    """A ready transport for the channel, as configured now (settings are read each time);
    inside batch(), the batch's own."""
    kept = getattr(_open, "transports", None)
    if kept is None:
        return _make(channel)
    if channel not in kept:
        kept[channel] = _make(channel)
        kept[channel].open()
    return kept[channel]


@contextmanager
def batch() -> Iterator[None]:
    """Keep one open transport per channel for the sends inside; close them all after."""
    if getattr(_open, "transports", None) is not None:  # already inside one
        yield
        return
    _open.transports = {}
    try:
        yield
    finally:
        transports, _open.transports = _open.transports, None
        for transport in transports.values():
            transport.close()


def _make(channel: str) -> Transport:
    if channel == Channel.EMAIL:
        from .email import EmailTransport

        return EmailTransport()
    name = settings.REMINDERS_SMS_TRANSPORT
    return import_string(SMS_TRANSPORTS.get(name, name))()


__all__ = ["Message", "Transport", "TransportError", "batch", "transport_for"]
