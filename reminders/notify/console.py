"""SMS printed to standard output: the local default, shows what a resident would receive."""

import sys
import uuid

from ..contacts import mask
from ..enums import Channel
from .base import Message, Transport


class ConsoleTransport(Transport):
    def send(self, message: Message) -> str:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        sys.stdout.write(
            f"--- SMS {message.tag} to {mask(Channel.SMS, message.to)} ---\n{message.sms}\n---\n"
        )
        sys.stdout.flush()
        return provider_id
