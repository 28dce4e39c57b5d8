"""When a text message may go out: inside the day's sending window at the venue.

Texas allows telephone solicitation 9:00-21:00 Monday to Saturday and 12:00-21:00 on
Sunday; we keep a margin (09:00-20:00, Sundays from 12:00 by default, see
settings.SMS_SEND_WINDOW). A reminder that would fall outside moves EARLIER (it must arrive
before the meeting, and never after it starts); a cancellation or change notice that falls
outside waits for the first allowed minute. Email is not limited.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings

from .enums import REMINDER_KINDS

DEFAULT_WINDOW = {"start": time(9, 0), "end": time(20, 0), "sunday_start": time(12, 0)}
SUNDAY = 6


def _window(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The first and last allowed moments of one local day (aware, in the venue's zone)."""
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


def earliest_allowed(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """The first allowed moment at or after this one."""
    local = moment.astimezone(zone or _default_zone())
    opens, closes = _window(local.date(), local.tzinfo)
    if opens <= local <= closes:
        return moment
    if local < opens:
        return opens
    return _window(local.date() + timedelta(days=1), local.tzinfo)[0]


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
    Cancellation and change notices go at the first allowed minute at or after `desired`.
    """
    zone = zone or _default_zone()
    if kind not in REMINDER_KINDS:
        return earliest_allowed(max(desired, now) if now else desired, zone)
    moment = latest_allowed(desired, zone)
    if now is not None and moment < now:
        moment = earliest_allowed(now, zone)
    return moment if moment < meeting_start else None


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
