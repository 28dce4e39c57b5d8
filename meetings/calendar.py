"""iCalendar (RFC 5545) files: one meeting, or the feed of all upcoming meetings in a language.

Times are written in America/Chicago with a VTIMEZONE, so a calendar app shows 18:30 as 18:30
on both sides of a daylight-saving change. The UID is stable for the meeting's life and the
SEQUENCE grows whenever the meeting is saved, so a subscribed calendar updates in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vGeo

from . import public
from .facts import what_to_expect
from .models import Meeting

PRODID = "-//Outreach meetings//Meeting scheduler//EN"
# SEQUENCE counts seconds from here, so it stays a small, growing integer.
SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# How often a subscribed calendar app should fetch the feed again.
FEED_REFRESH = timedelta(hours=6)


def site_host() -> str:
    """The host of SITE_URL, which makes UIDs unique to this site."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    """Stable across edits, languages and feeds: meeting-<pk>@<host>."""
    return f"meeting-{meeting.pk}@{site_host()}"


def sequence(meeting: Meeting) -> int:
    """A revision number that grows each time the meeting is saved."""
    return max(0, int((meeting.updated_at - SEQUENCE_EPOCH).total_seconds()))


def description(meeting: Meeting) -> str:
    """The meeting's text, its facts and its page, in the active language."""
    parts = [meeting.description] if meeting.description else []
    if meeting.is_cancelled:
        parts.insert(0, gettext("This meeting has been cancelled."))
    facts = what_to_expect(meeting)
    if facts:
        parts.append("\n".join(f"• {fact}" for fact in facts))
    parts.append(meeting.public_url())
    return "\n\n".join(parts)


def meeting_event(meeting: Meeting) -> Event:
    """One VEVENT, written in the active language."""
    venue = meeting.venue
    event = Event.new(
        uid=meeting_uid(meeting),
        stamp=meeting.updated_at.astimezone(UTC),
        created=meeting.created_at.astimezone(UTC),
        last_modified=meeting.updated_at.astimezone(UTC),
        sequence=sequence(meeting),
        start=timezone.localtime(meeting.starts_at),
        end=timezone.localtime(meeting.ends_at),
        summary=meeting.title,
        description=description(meeting),
        location=f"{venue.name}, {venue.address}",
        url=meeting.public_url(),
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
    )
    if venue.latitude is not None and venue.longitude is not None:
        event.add("geo", vGeo((float(venue.latitude), float(venue.longitude))))
    return event


def build_calendar(
    meetings: Iterable[Meeting], *, name: str | None = None, uid: str | None = None
) -> bytes:
    """A complete VCALENDAR with the time zones its events use."""
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid or f"outreach@{site_host()}")
    if name:
        calendar.refresh_interval = FEED_REFRESH
    starts = []
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
        starts.append(timezone.localdate(meeting.starts_at))
    if starts:
        # Only the years the events need: a short VTIMEZONE keeps the file small.
        calendar.add_missing_timezones(
            first_date=min(starts) - timedelta(days=366),
            last_date=max(starts) + timedelta(days=366),
        )
    return calendar.to_ical()


def meeting_calendar(meeting: Meeting) -> bytes:
    """The .ics for one meeting ("add to calendar")."""
    return build_calendar([meeting], uid=f"{meeting_uid(meeting)}-calendar")


def feed_calendar(meetings: Iterable[Meeting]) -> bytes:
    """The subscribable feed of upcoming meetings in the active language."""
    language = public.page_language()
    return build_calendar(
        meetings,
        name=gettext("Community meetings with the police"),
        uid=f"meetings-{language}@{site_host()}",
    )
