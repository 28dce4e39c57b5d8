"""Who will hear about a meeting, as counts only: the staff side's window on the reminders app.

Staff screens (cancel and reschedule confirmations, the dashboard) need "how many subscribers,
by channel and language" and "how many messages sent or failed" — never a contact. The numbers
come from the reminders app; this module is the one place that asks it, importing it lazily so
the meetings app does not depend on it. Without the reminders app installed, every count is zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps

CHANNELS = ("sms", "email")
LANGUAGES = ("es", "en")


@dataclass
class Audience:
    """Confirmed subscribers and delivery results for one meeting (numbers only)."""

    subscribers: dict[tuple[str, str], int] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0

    def by_channel(self, channel: str) -> int:
        return sum(n for (ch, _lang), n in self.subscribers.items() if ch == channel)

    def cell(self, channel: str, language: str) -> int:
        return self.subscribers.get((channel, language), 0)

    # The dashboard's cells, by channel and language.
    sms_es = property(lambda self: self.cell("sms", "es"))
    sms_en = property(lambda self: self.cell("sms", "en"))
    email_es = property(lambda self: self.cell("email", "es"))
    email_en = property(lambda self: self.cell("email", "en"))

    @property
    def sms(self) -> int:
        return self.by_channel("sms")

    @property
    def email(self) -> int:
        return self.by_channel("email")

    @property
    def total(self) -> int:
        return sum(self.subscribers.values())


def reminders_installed() -> bool:
    return apps.is_installed("reminders")


def audiences(meeting_ids: Iterable[int]) -> dict[int, Audience]:
    """One Audience per meeting id, from the reminders app (zeros when it is not installed)."""
    ids = list(meeting_ids)
    result = {pk: Audience() for pk in ids}
    if not ids or not reminders_installed():
        return result
    from reminders import services  # lazy: meetings must import without reminders

    # {id: {"total": n, "sms": {"es": n, "en": n}, "email": {...}}}
    for pk, counts in services.subscriber_counts(ids).items():
        result[pk].subscribers = {
            (channel, language): n
            for channel in CHANNELS
            for language, n in counts.get(channel, {}).items()
        }
    for pk, statuses in services.delivery_counts(ids).items():
        result[pk].sent = statuses.get("sent", 0)
        result[pk].failed = statuses.get("failed", 0)
    return result


def audience(meeting_id: int) -> Audience:
    return audiences([meeting_id])[meeting_id]
