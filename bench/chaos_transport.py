"""The SMS provider bench/chaos_reminders.py sends to: the outbox transport (one file per
message, looked up by tag), a few milliseconds per call like a real HTTP request, and, with
CHAOS_TIMEOUT_RATE, a share of calls that the provider ACCEPTS and then never answers."""

import os
import random
import time

from reminders.notify.base import Message, TransportError
from reminders.notify.outbox import OutboxTransport

TIMEOUT_RATE = float(os.environ.get("CHAOS_TIMEOUT_RATE", "0"))
CALL_SECONDS = float(os.environ.get("CHAOS_CALL_SECONDS", "0.01"))


class ChaosTransport(OutboxTransport):
    def send(self, message: Message) -> str:
        time.sleep(CALL_SECONDS)
        provider_id = super().send(message)
        if random.random() < TIMEOUT_RATE:
            raise TransportError("No answer from the provider in time.", unknown=True)
        return provider_id
