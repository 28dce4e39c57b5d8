"""A resident adds a meeting, or every upcoming meeting, to the calendar on their phone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def ics_url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def fetch(client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    return icalendar.Calendar.from_ical(response.content)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.events
    return event


def test_calendar_addresses_are_in_the_visitors_language(frozen_now):
    meeting = MeetingFactory()
    assert ics_url("es", "meetings:meeting_ics", slug=meeting.slug) == (
        f"/es/reuniones/{meeting.slug}/calendario.ics"
    )
    assert ics_url("en", "meetings:meeting_ics", slug=meeting.slug) == (
        f"/en/meetings/{meeting.slug}/calendar.ics"
    )
    assert ics_url("es", "meetings:feed_ics") == "/es/calendario.ics"
    assert ics_url("en", "meetings:feed_ics") == "/en/calendar.ics"


def test_one_meeting_file_has_every_property_a_calendar_app_needs(client, frozen_now):
    meeting = MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))
    response = client.get(ics_url("es", "meetings:meeting_ics", slug=meeting.slug))
    assert response["Content-Disposition"] == f'attachment; filename="{meeting.slug}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    event = only_event(calendar)

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert event["UID"] == f"meeting-{meeting.pk}@meetings.example.org"
    assert event["DTSTAMP"].dt == meeting.updated_at.astimezone(UTC)
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event["DTSTART"].dt == datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
    assert event["DTEND"].dt == datetime(2027, 2, 3, 20, 0, tzinfo=CHICAGO)
    assert [tz["TZID"] for tz in calendar.timezones] == ["America/Chicago"]
    assert event["SUMMARY"] == "Reunión comunitaria"
    assert "Conozca a los oficiales de su vecindario." in event["DESCRIPTION"]
    assert "No se pide identificación ni estatus migratorio" in event["DESCRIPTION"]
    assert event["LOCATION"] == f"{meeting.venue.name}, {meeting.venue.address}"
    assert event["URL"] == f"https://meetings.example.org/es/reuniones/{meeting.slug}/"
    assert event["STATUS"] == "CONFIRMED"
    assert int(event["SEQUENCE"]) >= 0


def test_english_file_is_written_in_english(client, frozen_now):
    meeting = MeetingFactory()
    event = only_event(fetch(client, ics_url("en", "meetings:meeting_ics", slug=meeting.slug)))
    assert event["SUMMARY"] == "Community meeting"
    assert "No ID or immigration status asked" in event["DESCRIPTION"]
    assert event["URL"] == f"https://meetings.example.org/en/meetings/{meeting.slug}/"


def test_a_meeting_after_the_march_change_stays_at_half_past_six(client, frozen_now):
    # Daylight saving time starts on 14 March 2027: 18:30 is then UTC-5, not UTC-6.
    meeting = MeetingFactory(starts_at=datetime(2027, 3, 17, 18, 30, tzinfo=CHICAGO))
    calendar = fetch(client, ics_url("es", "meetings:meeting_ics", slug=meeting.slug))
    event = only_event(calendar)
    start = event["DTSTART"].dt
    assert (start.hour, start.minute) == (18, 30)
    assert start.astimezone(UTC) == datetime(2027, 3, 17, 23, 30, tzinfo=UTC)
    assert b"DTSTART;TZID=America/Chicago:20270317T183000" in calendar.to_ical()
    # The VTIMEZONE itself knows the change, so an app without a tz database gets it right.
    timezone = calendar.timezones[0]
    daylight = list(timezone.walk("DAYLIGHT"))
    assert daylight and any(c["TZOFFSETTO"].td == timedelta(hours=-5) for c in daylight)
    assert timezone.to_tz().utcoffset(datetime(2027, 3, 17, 18, 30)) == timedelta(hours=-5)


def test_a_cancelled_meeting_is_cancelled_in_the_calendar(client, frozen_now):
    meeting = MeetingFactory(status=MeetingStatus.CANCELLED)
    event = only_event(fetch(client, ics_url("es", "meetings:meeting_ics", slug=meeting.slug)))
    assert event["STATUS"] == "CANCELLED"
    assert event["DESCRIPTION"].startswith("Esta reunión fue cancelada.")


def test_uid_stays_and_sequence_grows_when_staff_change_the_meeting(client, frozen_now):
    meeting = MeetingFactory()
    url = ics_url("es", "meetings:meeting_ics", slug=meeting.slug)
    before = only_event(fetch(client, url))
    frozen_now.shift(timedelta(minutes=5))
    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)
    meeting.save()
    after = only_event(fetch(client, url))
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt


def test_uid_is_the_same_in_both_languages_and_in_the_feed(client, frozen_now):
    meeting = MeetingFactory()
    files = [
        fetch(client, ics_url(lang, "meetings:meeting_ics", slug=meeting.slug))
        for lang in ("es", "en")
    ]
    uids = {str(only_event(calendar)["UID"]) for calendar in files}
    uids |= {str(e["UID"]) for e in fetch(client, ics_url("es", "meetings:feed_ics")).events}
    assert uids == {f"meeting-{meeting.pk}@meetings.example.org"}


def test_feed_lists_every_upcoming_meeting_including_cancelled_ones(client, frozen_now):
    MeetingFactory(title_es="Primera")
    MeetingFactory(title_es="Segunda", status=MeetingStatus.CANCELLED)
    MeetingFactory(title_es="Borrador", published=False)
    MeetingFactory(
        title_es="Pasada",
        starts_at=datetime(2027, 1, 10, 18, 0, tzinfo=CHICAGO),
        ends_at=datetime(2027, 1, 10, 19, 0, tzinfo=CHICAGO),
    )
    calendar = fetch(client, ics_url("es", "meetings:feed_ics"))
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.events}
    assert statuses == {"Primera": "CONFIRMED", "Segunda": "CANCELLED"}
    assert calendar.calendar_name == "Reuniones comunitarias con la policía"
    assert calendar["UID"] == "meetings-es@meetings.example.org"
    assert calendar.refresh_interval == timedelta(hours=6)
    assert [tz["TZID"] for tz in calendar.timezones] == ["America/Chicago"]


def test_english_feed_is_in_english(client, frozen_now):
    MeetingFactory()
    calendar = fetch(client, ics_url("en", "meetings:feed_ics"))
    assert calendar.calendar_name == "Community meetings with the police"
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Community meeting"]


def test_empty_feed_is_still_a_valid_calendar(client, frozen_now):
    calendar = fetch(client, ics_url("es", "meetings:feed_ics"))
    assert calendar.events == []
    assert calendar["VERSION"] == "2.0"


def test_unpublished_or_unknown_meeting_has_no_calendar_file(client, frozen_now):
    draft = MeetingFactory(published=False)
    assert client.get(ics_url("es", "meetings:meeting_ics", slug=draft.slug)).status_code == 404
    assert client.get("/es/reuniones/no-existe/calendario.ics").status_code == 404


def test_upcoming_page_and_meeting_page_link_the_calendar_files(client, frozen_now):
    meeting = MeetingFactory()
    assert 'href="/es/calendario.ics"' in client.get("/es/").content.decode()
    detail = client.get(ics_url("en", "meetings:detail", slug=meeting.slug)).content.decode()
    assert f'href="/en/meetings/{meeting.slug}/calendar.ics"' in detail
