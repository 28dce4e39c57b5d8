"""The one interface every transport implements, and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field


class TransportError(Exception):
    """A send that did not happen. `permanent` errors are not retried; the message must never
    contain the recipient's contact. `stop` marks a carrier-level opt-out (Twilio 21610)."""

    def __init__(self, message: str, *, permanent: bool = False, stop: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent or stop
        self.stop = stop


@dataclass
class Message:
    """One rendered message to one recipient. `sms` is used by SMS transports, the rest by email."""

    to: str
    sms: str = ""
    subject: str = ""
    text: str = ""
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # A label for logs and outbox file names: kind and delivery id, never the contact.
    tag: str = ""


class Transport:
    """Sends a Message; returns the provider's id for it, or raises TransportError."""

    def send(self, message: Message) -> str:
        raise NotImplementedError
