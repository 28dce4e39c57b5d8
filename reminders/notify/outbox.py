"""SMS written as one file per message in a folder (settings.REMINDERS_OUTBOX_DIR): for demos
and tests that need to see exactly what was sent, and how many times."""

import glob
import json
import os
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings

from .base import Message, Transport, TransportError


class OutboxTransport(Transport):
    can_look_up = True

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder or settings.REMINDERS_OUTBOX_DIR)

    def send(self, message: Message) -> str:
        # The tag (kind and delivery id, never the contact) is in the name, for lookup().
        provider_id = f"outbox-{message.tag}-{uuid.uuid4().hex}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{provider_id}.json"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"to": message.to, "tag": message.tag, "body": message.sms}, handle)
        except OSError as error:
            raise TransportError(f"Outbox folder not writable ({error.strerror}).") from None
        return provider_id

    def lookup(self, message: Message, since: datetime) -> str | None:
        # A tag names one delivery, so a file with it is this message, whenever written.
        found = sorted(self.folder.glob(f"outbox-{glob.escape(message.tag)}-*.json"))
        return found[0].stem if found else None


def read_outbox(folder: Path | None = None) -> list[dict]:
    """Every message in the outbox, oldest first (for tests and demos)."""
    folder = Path(folder or settings.REMINDERS_OUTBOX_DIR)
    if not folder.exists():
        return []
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]
