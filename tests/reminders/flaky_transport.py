"""A stand-in SMS provider for tests: fails a set number of times, then writes to the outbox."""

from reminders.notify.base import Message, TransportError
from reminders.notify.outbox import OutboxTransport


class FailTwiceTransport(OutboxTransport):
    failures_left = 2

    def send(self, message: Message) -> str:
        if FailTwiceTransport.failures_left > 0:
            FailTwiceTransport.failures_left -= 1
            raise TransportError("Provider busy (HTTP 503).")
        return super().send(message)


class RejectingTransport(OutboxTransport):
    def send(self, message: Message) -> str:
        raise TransportError("Provider says the number is not a mobile.", permanent=True)
