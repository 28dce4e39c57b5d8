"""The one interface every transport implements, and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class TransportError(Exception):
    """A send that did not happen. `permanent` errors are not retried; the message must never
    contain the recipient's contact. `stop` marks a carrier-level opt-out (Twilio 21610).
    `unknown`: the provider may have accepted it (a timeout after the request went out), so
    it is looked up, not blindly sent again."""

    def __init__(
        self, message: str, *, permanent: bool = False, stop: bool = False, unknown: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent or stop
        self.stop = stop
        self.unknown = unknown and not self.permanent


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
    # Secrets in the text (a confirmation code or link) that nothing may print or log.
    private: tuple[str, ...] = ()


class Transport:
    """Sends a Message; returns the provider's id for it, or raises TransportError."""

    # Whether lookup() can tell if the provider already has a message.
    can_look_up = False

    def open(self) -> None:
        """Before several sends (a batch): open what can be shared between them."""

    def close(self) -> None:
        """After the batch."""

    def send(self, message: Message) -> str:
        raise NotImplementedError

    def lookup(self, message: Message, since: datetime) -> str | None:
        """The provider's id of this message if it was accepted at or after `since`, else None.
        Raises TransportError when the provider cannot be asked now."""
        raise NotImplementedError
