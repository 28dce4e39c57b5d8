"""Who will hear about a meeting, as counts only: the staff side's window on the reminders app.

Staff screens need "how many subscribers, by channel and language", "what will happen to the
notice of this change" (confirmation pages: sent now, held until a time, sent at once outside
the usual hours, not possible) and "where the messages stand" (queued, held, being checked,
sent, skipped and failed by reason) — never a contact. The numbers come from the reminders
app; this module is the one place that asks it, importing it lazily so the meetings app does
not depend on it. Without the reminders app installed, every count is zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from outreach import languages

from . import dates


def public_list_of(items) -> str:
    from .facts import list_of

    return list_of(items)


CHANNELS = ("sms", "email")
CHANNEL_NAMES = {"sms": _("SMS"), "email": _("Email")}


@dataclass
class Messages:
    """What became of one meeting's messages, by where they stand (counts only). Skipped and
    failed ones are grouped by reason: [(reason for staff, count)], most frequent first."""

    queued: int = 0
    held: int = 0
    held_until: datetime | None = None
    checking: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    skipped_reasons: list[tuple[str, int]] = field(default_factory=list)
    failed_reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def none(self) -> bool:
        """No message at all yet (the dashboard says so in words rather than six zeros)."""
        counts = (self.queued, self.held, self.checking, self.sent, self.skipped, self.failed)
        return not any(counts)

    @property
    def held_until_text(self) -> str:
        return moment(self.held_until) if self.held_until else ""


@dataclass
class Audience:
    """Confirmed subscribers and delivery results for one meeting (numbers only)."""

    subscribers: dict[tuple[str, str], int] = field(default_factory=dict)
    messages: Messages = field(default_factory=Messages)

    @property
    def sent(self) -> int:
        return self.messages.sent

    @property
    def failed(self) -> int:
        return self.messages.failed

    def by_channel(self, channel: str) -> int:
        return sum(n for (ch, _lang), n in self.subscribers.items() if ch == channel)

    def cell(self, channel: str, language: str) -> int:
        return self.subscribers.get((channel, language), 0)

    def counts_not_zero(self) -> list[str]:
        """ "SMS in Spanish: 3", one per channel and language that has subscribers: the
        dashboard shows no columns of zeros."""
        return [
            gettext("%(channel)s in %(language)s: %(count)s")
            % {
                "channel": CHANNEL_NAMES[ch],
                "language": languages.in_sentence(languages.name(lang)),
                "count": n,
            }
            for ch in CHANNELS
            for lang in languages.codes()
            if (n := self.cell(ch, lang))
        ]

    def by_language(self) -> dict[str, dict[str, int]]:
        """{"sms": {code: n, …}, "email": {…}}: every enabled language, keyed by its code."""
        return {ch: {lang: self.cell(ch, lang) for lang in languages.codes()} for ch in CHANNELS}

    def by_language_text(self) -> str:
        """ "SMS: 1 in Spanish, 1 in English · Email: …" in the active language."""
        return " · ".join(
            gettext("%(channel)s: %(counts)s")
            % {
                "channel": CHANNEL_NAMES[ch],
                "counts": public_list_of(
                    gettext("%(count)s in %(language)s")
                    % {"count": n, "language": languages.in_sentence(languages.name(lang))}
                    for lang, n in counts.items()
                ),
            }
            for ch, counts in self.by_language().items()
        )

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

    # {id: {"total": n, "sms": {language code: n, …}, "email": {...}}}
    for pk, counts in services.subscriber_counts(ids).items():
        result[pk].subscribers = {
            (channel, language): n
            for channel in CHANNELS
            for language, n in counts.get(channel, {}).items()
        }
    for pk, summary in services.delivery_summaries(ids).items():
        result[pk].messages = _messages(summary)
    return result


def _messages(summary) -> Messages:
    from reminders.enums import reason_label
    from reminders.services import Bucket

    def reasons(bucket: str) -> list[tuple[str, int]]:
        found = summary.reasons.get(bucket, {}).items()
        return sorted(((reason_label(code), n) for code, n in found), key=lambda r: -r[1])

    return Messages(
        queued=summary.count(Bucket.QUEUED),
        held=summary.count(Bucket.HELD),
        held_until=summary.held_until,
        checking=summary.count(Bucket.CHECKING),
        sent=summary.count(Bucket.SENT),
        skipped=summary.count(Bucket.SKIPPED),
        failed=summary.count(Bucket.FAILED),
        skipped_reasons=reasons(Bucket.SKIPPED),
        failed_reasons=reasons(Bucket.FAILED),
    )


def moment(value: datetime, now: datetime | None = None) -> str:
    """A time staff read at a glance: "9:00 a. m." today, with the date on another day."""
    now = now or timezone.now()
    if timezone.localdate(value) == timezone.localdate(now):
        return dates.clock(value)
    # Translators: a time on another day, as in "9:00 a.m. on Wednesday, February 3, 2027".
    return pgettext("time on a date", "%(time)s on %(date)s") % {
        "time": dates.clock(value),
        "date": dates.long_date(value),
    }


# --- Before a change: what will really happen, per channel ----------------------------------


@dataclass(frozen=True)
class ChannelOutlook:
    """One channel's notice for a change about to be confirmed: subscribers and what happens."""

    channel: str
    subscribers: int
    text: str
    will_send: bool


def outlook(meeting, action: str, starts_at: datetime | None = None) -> list[ChannelOutlook]:
    """For "cancel", "undo" or "reschedule" (to `starts_at`) confirmed now: per channel, how
    many subscribers and whether the notice goes now, is held until a time, goes at once
    outside the usual hours, or cannot go (and why). Empty without the reminders app."""
    if not reminders_installed():
        return []
    from reminders.enums import Kind
    from reminders.services import notice_outlook

    kind = {"cancel": Kind.CANCELLED, "undo": Kind.BACK_ON, "reschedule": Kind.CHANGED}[action]
    plans = notice_outlook(meeting, kind, starts_at=starts_at)
    return [
        ChannelOutlook(
            channel, plan.subscribers, timing_text(plan.why, plan.at), plan.at is not None
        )
        for channel, plan in plans.items()
    ]


def messages_each(meeting, action: str, starts_at: datetime | None = None) -> str:
    """What each subscriber gets from now on if staff confirm "cancel", "undo" or
    "reschedule" (to `starts_at`): the notice, then the reminders still ahead, as chosen for
    the meeting (none after a cancellation). Empty without the reminders app."""
    if not reminders_installed():
        return ""
    from reminders.services import reminders_ahead

    count = 0 if action == "cancel" else reminders_ahead(meeting, starts_at)
    if not count:
        return gettext("1 message: the notice.")
    return ngettext(
        "Up to %(total)s messages: the notice, then %(count)s reminder.",
        "Up to %(total)s messages: the notice, then %(count)s reminders.",
        count,
    ) % {"total": count + 1, "count": count}


def timing_text(why: str, at: datetime | None) -> str:
    """What staff are told about a notice's timing (see reminders.quiet_hours.notice_timing)."""
    from reminders.quiet_hours import Timing
    from reminders.services import NoNotice

    if why == Timing.HELD:
        return gettext("Held for quiet hours until %(time)s, then sent.") % {"time": moment(at)}
    texts = {
        Timing.NOW: gettext("Sent now."),
        Timing.LEGAL_HOURS: gettext(
            "Sent now, outside our usual hours for texts but within the legal hours, because "
            "the meeting starts before our usual hours open."
        ),
        Timing.URGENT: gettext(
            "Sent at once although outside the usual hours, because the meeting starts "
            "before they open."
        ),
        Timing.TOO_LATE: gettext("Not possible: the meeting has started."),
        NoNotice.NOT_PUBLISHED: gettext("No message: the meeting is not published on the site."),
        NoNotice.CANCELLED: gettext("No message: the meeting is cancelled."),
    }
    return texts[why]


def readers(meeting_ids: Iterable[int]) -> dict[str, int]:
    """Subscribers per language code, every channel, over these meetings (counts only)."""
    found = audiences(meeting_ids).values()
    return {
        code: sum(a.cell(ch, code) for a in found for ch in CHANNELS) for code in languages.codes()
    }


def readers_text(count: int) -> str:
    """By a reason field: how many get the notice in its language."""
    if not count:
        return gettext("No subscriber gets the notice in this language.")
    return ngettext(
        "%(count)s subscriber gets the notice in this language.",
        "%(count)s subscribers get the notice in this language.",
        count,
    ) % {"count": count}


def no_reason_text(code: str, count: int) -> str:
    """The warning when a language with readers has no reason while others have one."""
    return ngettext(
        "%(count)s subscriber reads %(language)s: their notice goes without a reason.",
        "%(count)s subscribers read %(language)s: their notice goes without a reason.",
        count,
    ) % {"count": count, "language": languages.in_sentence(languages.name(code))}


# --- When a meeting's reminders go (reminders.services.reminder_plans) ----------------------


def reminder_times(meeting, starts_at: datetime | None = None) -> list[str]:
    """One line per reminder still ahead of the meeting (at `starts_at`, if it moves there):
    when the email and the text go, and why a text moves. Empty without the reminders app."""
    if not reminders_installed():
        return []
    from meetings.enums import ReminderOffset
    from reminders.services import reminder_plans

    return [
        gettext("%(reminder)s: by email %(email)s; by SMS %(sms)s.")
        % {
            "reminder": capfirst(ReminderOffset(plan.kind).label),
            "email": _on(plan.email_at),
            "sms": _sms_timing(plan.email_at, plan.sms),
        }
        for plan in reminder_plans(meeting, starts_at)
    ]


def _on(moment: datetime) -> str:
    # Translators: a day and time something goes out, as in "by email {Saturday, …, 6:30 a.m.}";
    # Spanish: "el sábado, 6 de febrero de 2027, 6:30 a. m.".
    return pgettext("sent on a day", "%(when)s") % {"when": dates.when(moment)}


def _sms_timing(due: datetime, timing) -> str:
    from reminders.quiet_hours import ReminderMove, window_hours

    if timing.why == ReminderMove.NOT_SENT:
        return gettext("not sent: no hour for texts is left before the meeting")
    if timing.why == ReminderMove.ON_TIME:
        return gettext("at the same time")
    opens, closes = window_hours(timezone.localdate(due))
    texts = {
        ReminderMove.MORNING_OF: gettext("%(when)s, when texts may start that day"),
        ReminderMove.EARLIER: gettext(
            "%(when)s, moved earlier because texts go only from %(opens)s to %(closes)s that day"
        ),
        ReminderMove.NEXT_ALLOWED: gettext("%(when)s, the first time texts may go"),
    }
    return texts[timing.why] % {
        "when": _on(timing.at),
        "opens": dates.clock(opens),
        "closes": dates.clock(closes),
    }


def audience(meeting_id: int) -> Audience:
    return audiences([meeting_id])[meeting_id]
