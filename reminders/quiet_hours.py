"""When a text message may go out: inside the day's sending window at the venue.

Texas allows telephone solicitation 9:00-21:00 Monday to Saturday and 12:00-21:00 on
Sunday; we keep a margin (09:00-20:00, Sundays from 12:00 by default, see
settings.SMS_SEND_WINDOW). Email is not limited.

- A reminder that would fall before the window opens on the meeting's own day goes at the
  opening if that still leaves SMS_REMINDER_SPARE_MINUTES (60) before the start: a 2-hour
  text for a Saturday 10:00 meeting goes at 09:00 that morning, not at 20:00 on Friday.
- Otherwise a reminder that would fall outside moves EARLIER (it must arrive before the
  meeting, and never after it starts); the message then names the day ("mañana domingo,
  9:30 a. m."). Messages are worded at the moment they go out (reminders/messages.py).
- A cancellation, change or back-on notice must never leave someone going to a meeting that
  is off or moved (notice_timing): it goes at the first minute of our window if that is at
  least SMS_NOTICE_LEAD before the start; otherwise within Texas's wider legal hours if those
  open in time; otherwise AT ONCE, whatever the hour, because the meeting comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings

from .enums import REMINDER_KINDS

DEFAULT_WINDOW = {"start": time(9, 0), "end": time(20, 0), "sunday_start": time(12, 0)}
# Texas Business and Commerce Code 304.108: no telephone solicitation before 9:00 or after
# 21:00 on weekdays and Saturdays, before noon or after 21:00 on Sundays.
LEGAL_WINDOW = {"start": time(9, 0), "end": time(21, 0), "sunday_start": time(12, 0)}
SUNDAY = 6


class Timing(StrEnum):
    """Why a notice goes when it goes (shown to staff before they confirm)."""

    NOW = "now"  # inside our window
    HELD = "held"  # quiet hours: waits for our window, which opens in time
    LEGAL_HOURS = "legal_hours"  # outside our margin, inside Texas's legal hours
    URGENT = "urgent"  # no allowed minute comes in time: sent at once
    TOO_LATE = "too_late"  # the meeting has started: nothing to send


@dataclass(frozen=True)
class NoticeTiming:
    at: datetime | None
    why: Timing


def _window(day: date, zone: tzinfo, config: dict | None = None) -> tuple[datetime, datetime]:
    """The first and last allowed moments of one local day (aware, in the venue's zone)."""
    if config is None:
        config = {**DEFAULT_WINDOW, **getattr(settings, "SMS_SEND_WINDOW", {})}
    opens = config["sunday_start"] if day.weekday() == SUNDAY else config["start"]
    return (
        datetime.combine(day, opens, tzinfo=zone),
        datetime.combine(day, config["end"], tzinfo=zone),
    )


def is_allowed(moment: datetime, zone: tzinfo | None = None) -> bool:
    """True when a text may be sent at this moment at a venue in this zone."""
    local = moment.astimezone(zone or _default_zone())
    opens, closes = _window(local.date(), local.tzinfo)
    return opens <= local <= closes


def latest_allowed(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """The last allowed moment at or before this one."""
    local = moment.astimezone(zone or _default_zone())
    opens, closes = _window(local.date(), local.tzinfo)
    if opens <= local <= closes:
        return moment
    if local > closes:
        return closes
    return _window(local.date() - timedelta(days=1), local.tzinfo)[1]


def earliest_allowed(
    moment: datetime, zone: tzinfo | None = None, config: dict | None = None
) -> datetime:
    """The first allowed moment at or after this one (in our window, or in `config`'s)."""
    local = moment.astimezone(zone or _default_zone())
    opens, closes = _window(local.date(), local.tzinfo, config)
    if opens <= local <= closes:
        return moment
    if local < opens:
        return opens
    return _window(local.date() + timedelta(days=1), local.tzinfo, config)[0]


def notice_timing(
    now: datetime, *, meeting_start: datetime, zone: tzinfo | None = None
) -> NoticeTiming:
    """When a cancellation, change or back-on text goes out, and why (see the module doc)."""
    if now >= meeting_start:
        return NoticeTiming(None, Timing.TOO_LATE)
    zone = zone or _default_zone()
    deadline = meeting_start - timedelta(minutes=settings.SMS_NOTICE_LEAD_MINUTES)
    ours = earliest_allowed(now, zone)
    if ours == now:
        return NoticeTiming(now, Timing.NOW)
    if ours <= deadline:
        return NoticeTiming(ours, Timing.HELD)
    legal = earliest_allowed(now, zone, LEGAL_WINDOW)
    if legal == now:
        return NoticeTiming(now, Timing.LEGAL_HOURS)
    if legal <= deadline:
        return NoticeTiming(legal, Timing.HELD)
    return NoticeTiming(now, Timing.URGENT)


def allowed_send_time(
    desired: datetime,
    *,
    meeting_start: datetime,
    kind: str,
    zone: tzinfo | None = None,
    now: datetime | None = None,
) -> datetime | None:
    """When an SMS of this kind wanted at `desired` may go out; None when it cannot be useful.

    Reminders move earlier into the window; if that is already past (`now`), they go at the
    next allowed minute, and are dropped (None) if that is not before the meeting starts.
    Notices follow notice_timing() from `desired` (or `now`, if later).
    """
    zone = zone or _default_zone()
    if kind not in REMINDER_KINDS:
        return notice_timing(
            max(desired, now) if now else desired, meeting_start=meeting_start, zone=zone
        ).at
    return reminder_timing(desired, meeting_start=meeting_start, zone=zone, now=now).at


class ReminderMove(StrEnum):
    """Why a reminder text goes when it goes (shown to staff before they move a meeting)."""

    ON_TIME = "on_time"  # inside the window: when it is due
    MORNING_OF = "morning_of"  # due before the window opens on the meeting's day: at the opening
    EARLIER = "earlier"  # due outside the window: the window's last minute before
    NEXT_ALLOWED = "next_allowed"  # that minute has passed: the next allowed one
    NOT_SENT = "not_sent"  # no allowed minute before the start


@dataclass(frozen=True)
class ReminderTiming:
    at: datetime | None
    why: ReminderMove


def reminder_timing(
    desired: datetime,
    *,
    meeting_start: datetime,
    zone: tzinfo | None = None,
    now: datetime | None = None,
) -> ReminderTiming:
    """When a reminder text wanted at `desired` goes, and why (see the module doc)."""
    zone = zone or _default_zone()
    morning = _opening_that_morning(desired, meeting_start, zone)
    moment = morning or latest_allowed(desired, zone)
    why = ReminderMove.MORNING_OF if morning else ReminderMove.EARLIER
    if moment == desired:
        why = ReminderMove.ON_TIME
    if now is not None and moment < now:
        moment, why = earliest_allowed(now, zone), ReminderMove.NEXT_ALLOWED
    if moment >= meeting_start:
        return ReminderTiming(None, ReminderMove.NOT_SENT)
    return ReminderTiming(moment, why)


def window_hours(day: date, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """Our window's opening and closing on a local day, for telling staff."""
    return _window(day, zone or _default_zone())


def _opening_that_morning(
    desired: datetime, meeting_start: datetime, zone: tzinfo
) -> datetime | None:
    """The window's opening on the meeting's day, for a reminder wanted before it, when the
    opening leaves at least SMS_REMINDER_SPARE_MINUTES before the start; else None."""
    local = desired.astimezone(zone)
    if local.date() != meeting_start.astimezone(zone).date():
        return None
    opens, _closes = _window(local.date(), local.tzinfo)
    spare = timedelta(minutes=settings.SMS_REMINDER_SPARE_MINUTES)
    return opens if local < opens and opens <= meeting_start - spare else None


def _default_zone() -> tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def sms_times(
    due: dict[str, datetime], *, meeting_start: datetime, now: datetime, zone: tzinfo | None = None
) -> dict[str, datetime]:
    """The planner's {kind: due time} as texts may go out; kinds that cannot are left out."""
    allowed = {
        kind: allowed_send_time(at, meeting_start=meeting_start, kind=kind, zone=zone, now=now)
        for kind, at in due.items()
    }
    return {kind: at for kind, at in allowed.items() if at is not None}
