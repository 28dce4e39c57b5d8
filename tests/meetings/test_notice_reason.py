"""An officer cancels a meeting "por el clima" / "due to weather": the reason reaches each
subscriber in their language (SMS and email) and the public page, and the longest reason the
form allows still keeps every text within three SMS parts."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import REASON_MAX, Meeting
from reminders import messages
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
REASONS = {"reason_es": "por el clima", "reason_en": "due to weather"}


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(
        starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO),
        venue=VenueFactory(name="Familia Bethel"),
        published=True,
    )


def sms(meeting, kind: str, language: str) -> str:
    return messages.render(
        kind, language, lambda: messages.meeting_context(meeting), sms_only=True
    ).sms


def cancel_url(meeting) -> str:
    return reverse("admin:meetings_meeting_cancel") + f"?ids={meeting.pk}"


@pytest.mark.parametrize(("headers", "label"), [(EN, "Reason"), (ES, "Motivo")])
def test_the_cancel_page_asks_for_an_optional_reason_in_each_language(
    meeting, staff_client, headers, label
):
    html = staff_client.get(cancel_url(meeting), **headers).content.decode()
    assert 'name="reason_es"' in html and 'name="reason_en"' in html
    # No maxlength: the browser would cut a long reason without a word (refused instead).
    assert "maxlength" not in html.split('name="reason_es"')[1][:200] and label in html


@pytest.mark.parametrize("headers", [EN, ES])
def test_a_cancellation_reason_reaches_the_sms_email_and_page_in_each_language(
    meeting, staff_client, headers
):
    staff_client.post(cancel_url(meeting), REASONS, **headers)
    meeting.refresh_from_db()
    assert "por el clima" in sms(meeting, "cancelled", "es")
    assert "due to weather" in sms(meeting, "cancelled", "en")
    email = messages.render("cancelled", "es", lambda: messages.meeting_context(meeting))
    assert "por el clima" in email.text and "por el clima" in email.html
    with translation.override("es"):
        page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "por el clima" in page and "due to weather" not in page
    with translation.override("en"):
        page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "due to weather" in page


def test_a_reason_longer_than_allowed_is_refused_and_nothing_is_cancelled(meeting, staff_client):
    data = {"reason_es": "x" * (REASON_MAX + 1), "reason_en": ""}
    html = staff_client.post(cancel_url(meeting), data, **ES).content.decode()
    assert str(REASON_MAX) in html
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_a_reschedule_reason_goes_into_the_changed_notice(meeting, staff_client):
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    data = {"day": "2027-02-04", "venue": meeting.venue.pk, "start_time": "19:00"}
    data |= {"end_time": "20:30", "reason_es": "por la lluvia", "reason_en": "due to rain"}
    summary = staff_client.post(url, data, **ES).content.decode()
    assert "por la lluvia" in summary  # shown before confirming, and carried to the confirm
    staff_client.post(url, data | {"_confirm": "1"}, **ES)
    meeting.refresh_from_db()
    assert "por la lluvia" in sms(meeting, "changed", "es")
    assert "due to rain" in sms(meeting, "changed", "en")


def test_without_a_reason_the_notice_reads_as_before(meeting):
    assert "()" not in sms(meeting, "cancelled", "es")


def test_undoing_clears_the_reason(meeting, staff_client):
    staff_client.post(cancel_url(meeting), REASONS)
    staff_client.post(reverse("admin:meetings_meeting_undo", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert not meeting.is_cancelled and meeting.notice_reason_es == ""


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("kind", ["cancelled", "changed"])
def test_the_longest_reason_keeps_the_sms_within_three_parts(language, kind):
    venue = VenueFactory(
        name="Iglesia Evangélica Pentecostés Misionera Internacional Fuente de Vida y Esperanza",
        street_address="4100 Fulton Street",
    )
    # The longest Spanish date of the year, and a reason of the most expensive characters.
    meeting = MeetingFactory(venue=venue, starts_at=datetime(2027, 9, 29, 18, 30, tzinfo=CHICAGO))
    reason = ("ó" if language == "es" else "[") * REASON_MAX  # UCS-2 / two-septet characters
    Meeting.objects.filter(pk=meeting.pk).update(
        notice_reason_es=reason, notice_reason_en=reason, status="cancelled"
    )
    meeting.refresh_from_db()
    text = sms(meeting, kind, language)
    assert messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS, (len(text), text)
    assert reason in text  # never cut, never left out
    if kind == "changed":  # where it now is: the street address always stays
        assert venue.street_address in text


def test_a_spanish_change_notice_keeps_the_longest_reason_and_the_new_address():
    venue = VenueFactory(name="Centro Comunitario Bachman", street_address="2750 Bachman Dr")
    meeting = MeetingFactory(venue=venue, starts_at=datetime(2027, 9, 29, 18, 30, tzinfo=CHICAGO))
    Meeting.objects.filter(pk=meeting.pk).update(notice_reason_es="ó" * REASON_MAX)
    meeting.refresh_from_db()
    text = sms(meeting, "changed", "es")
    assert "ó" * REASON_MAX in text and venue.street_address in text
    assert messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS


@pytest.mark.parametrize("reason", ["", "ó" * REASON_MAX])
def test_a_change_notice_for_a_six_digit_meeting_number_still_fits(reason):
    """The demo's "changed" text ran to 4 parts once meeting numbers reached four digits."""
    venue = VenueFactory(name="Iglesia San Juan Bautista", street_address="1400 W Jefferson Blvd")
    meeting = MeetingFactory(
        id=123456, venue=venue, starts_at=datetime(2027, 9, 29, 18, 30, tzinfo=CHICAGO)
    )
    Meeting.objects.filter(pk=meeting.pk).update(notice_reason_es=reason)
    meeting.refresh_from_db()
    text = sms(meeting, "changed", "es")
    assert messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS, (len(text), text)
    assert venue.street_address in text and reason in text and "/m/123456" in text
