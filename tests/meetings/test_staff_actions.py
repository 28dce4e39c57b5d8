"""Staff cancel, undo, reschedule and duplicate meetings; the confirmation pages say how many
subscribers will be told, by SMS and by email (counts from the reminders app, never contacts)."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from reminders import tasks
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


def subscribe(meeting, channel: str, language: str, n: int, *, start: int = 0) -> None:
    """n confirmed subscribers to the meeting (the reminders app's own model)."""
    from reminders.enums import SubscriptionStatus
    from reminders.models import Subscription

    for i in range(start, start + n):
        sub = Subscription(
            channel=channel,
            language=language,
            meeting=meeting,
            status=SubscriptionStatus.CONFIRMED,
            consent_at=timezone.now(),
            consent_page="/es/",
        )
        contact = f"+1713555{i:04d}" if channel == "sms" else f"person{i}@example.org"
        sub.set_contact(contact)
        sub.save()


@pytest.fixture
def meeting(frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY, venue=VenueFactory(name="Familia Bethel"))
    subscribe(meeting, "sms", "es", 3)
    subscribe(meeting, "sms", "en", 1, start=10)
    subscribe(meeting, "email", "es", 2, start=20)
    tasks.meeting_changed(meeting.pk)  # the worker, once the meeting's creation committed
    return meeting


def cancel_url(*meetings) -> str:
    ids = ",".join(str(m.pk) for m in meetings)
    return reverse("admin:meetings_meeting_cancel") + f"?ids={ids}"


@pytest.mark.parametrize(
    ("headers", "sms", "email"),
    [
        (EN, "4 subscribers will be told by SMS", "and 2 by email."),
        (ES, "Se avisará a 4 personas inscritas por SMS", "y a 2 por correo electrónico."),
    ],
)
def test_cancel_confirmation_says_how_many_will_be_told(meeting, staff_client, headers, sms, email):
    html = staff_client.get(cancel_url(meeting), **headers).content.decode()
    assert sms in html and email in html
    assert "+1713555" not in html and "example.org" not in html  # counts, never contacts
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # asking is not doing


def test_cancelling_saves_the_status_and_records_who(meeting, staff_client, outreach_staff):
    response = staff_client.post(cancel_url(meeting), **EN)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_at == timezone.now()
    entry = LogEntry.objects.get(object_id=str(meeting.pk))
    assert entry.user == outreach_staff
    with translation.override("en"):
        assert entry.get_change_message() == "Changed status."


def test_cancelling_plans_a_notice_for_every_subscriber_in_the_worker(
    meeting, staff_client, django_capture_on_commit_callbacks, run_after_commit
):
    from reminders.models import Delivery

    with django_capture_on_commit_callbacks() as queued:
        staff_client.post(cancel_url(meeting), **EN)
    notices = Delivery.objects.filter(meeting=meeting, kind="cancelled")
    assert notices.count() == 0  # the request only queued the planning
    run_after_commit(queued)
    assert notices.count() == 6


def test_cancel_with_notice_is_an_action_on_the_list(meeting, staff_client):
    other = MeetingFactory()
    data = {"action": "cancel_with_notice", "_selected_action": [meeting.pk, other.pk]}
    response = staff_client.post(reverse("admin:meetings_meeting_changelist"), data, **EN)
    assert response.status_code == 302
    assert response["Location"] == cancel_url(meeting, other) or response["Location"] == (
        cancel_url(other, meeting)
    )
    staff_client.post(response["Location"], **EN)
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).count() == 2


def test_a_cancellation_can_be_undone_the_same_day(
    meeting, staff_client, frozen_now, django_capture_on_commit_callbacks, run_after_commit
):
    with django_capture_on_commit_callbacks() as queued:
        staff_client.post(cancel_url(meeting))
    run_after_commit(queued)  # the worker plans the notices
    call_command("send_due_reminders", verbosity=0)  # and sends them: the undo page counts these
    frozen_now.move_to(datetime(2027, 2, 1, 21, 0, tzinfo=CHICAGO))  # same local day, evening
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    undo = reverse("admin:meetings_meeting_undo", args=[meeting.pk])
    assert undo in staff_client.get(change, **EN).content.decode()
    page = staff_client.get(undo, **ES).content.decode()
    assert "Se avisará a 4 personas inscritas por SMS" in page
    staff_client.post(undo, **EN)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.cancelled_at is None


def test_a_cancellation_cannot_be_undone_the_next_day(meeting, staff_client, frozen_now):
    staff_client.post(cancel_url(meeting))
    # 00:30 on Tuesday in Chicago is still Monday evening in UTC: the local day counts.
    frozen_now.move_to(datetime(2027, 2, 2, 0, 30, tzinfo=CHICAGO))
    undo = reverse("admin:meetings_meeting_undo", args=[meeting.pk])
    response = staff_client.post(undo, **EN)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert undo not in staff_client.get(change, **EN).content.decode()


def test_reschedule_shows_the_counts_then_moves_the_meeting(meeting, staff_client):
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    new_venue = VenueFactory(name="Escuela Lincoln")
    data = {"day": "2027-02-04", "venue": new_venue.pk, "start_time": "19:00", "end_time": "20:30"}
    summary = staff_client.post(url, data, **ES).content.decode()
    assert "jueves, 4 de febrero de 2027" in summary and "7:00 p. m." in summary
    assert "Se avisará a 4 personas inscritas por SMS" in summary
    meeting.refresh_from_db()
    assert meeting.venue.name == "Familia Bethel"  # not yet
    staff_client.post(url, data | {"_confirm": "1"}, **ES)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at) == datetime(2027, 2, 4, 19, 0, tzinfo=CHICAGO)
    assert meeting.venue == new_venue
    entry = LogEntry.objects.get(object_id=str(meeting.pk))
    with translation.override("en"):
        assert entry.get_change_message() == "Changed starts at, ends at and venue."
    with translation.override("es"):
        assert entry.get_change_message() == "Se modificó: inicio, fin y lugar."


def test_reschedule_refuses_an_end_before_the_start(meeting, staff_client):
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    data = {
        "day": "2027-02-04",
        "venue": meeting.venue.pk,
        "start_time": "19:00",
        "end_time": "18:00",
        "_confirm": "1",
    }
    html = staff_client.post(url, data, **ES).content.decode()
    assert "Una reunión debe terminar después" in html
    meeting.refresh_from_db()
    assert meeting.starts_at == WEDNESDAY


def test_reschedule_action_needs_exactly_one_meeting(meeting, staff_client):
    data = {"action": "reschedule_one", "_selected_action": [meeting.pk]}
    response = staff_client.post(reverse("admin:meetings_meeting_changelist"), data)
    assert response["Location"] == reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])


def test_duplicate_to_another_date_makes_an_unpublished_copy(meeting, staff_client):
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    url = reverse("admin:meetings_meeting_duplicate", args=[meeting.pk])
    assert url in staff_client.get(change, **ES).content.decode()
    data = {
        "day": "2027-02-24",
        "venue": meeting.venue.pk,
        "start_time": "18:30",
        "end_time": "20:00",
    }
    response = staff_client.post(url, data, **EN)
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[copy.pk])
    assert copy.title_es == meeting.title_es and copy.spoken_languages == ["es", "en"]
    assert copy.published is False and copy.slug != meeting.slug
    assert copy.starts_at - meeting.starts_at == timedelta(days=21)


def test_duplicate_onto_the_same_slot_is_refused(meeting, staff_client):
    url = reverse("admin:meetings_meeting_duplicate", args=[meeting.pk])
    data = {
        "day": "2027-02-03",
        "venue": meeting.venue.pk,
        "start_time": "18:30",
        "end_time": "20:00",
    }
    html = staff_client.post(url, data, **ES).content.decode()
    assert "El lugar ya tiene una reunión a esa hora." in html
    assert Meeting.objects.count() == 1


def test_time_and_venue_change_only_through_reschedule(meeting, staff_client):
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    html = staff_client.get(change, **EN).content.decode()
    assert 'name="starts_at_0"' not in html and 'name="venue"' not in html
    assert reverse("admin:meetings_meeting_reschedule", args=[meeting.pk]) in html


def test_undoing_a_cancellation_plans_a_back_on_notice(
    meeting, staff_client, frozen_now, django_capture_on_commit_callbacks, run_after_commit
):
    from reminders.models import Delivery

    with django_capture_on_commit_callbacks() as queued:
        staff_client.post(cancel_url(meeting))
    run_after_commit(queued)
    call_command("send_due_reminders", verbosity=0)  # "back on" goes to those told
    with django_capture_on_commit_callbacks() as queued:
        staff_client.post(reverse("admin:meetings_meeting_undo", args=[meeting.pk]))
    run_after_commit(queued)
    assert Delivery.objects.filter(meeting=meeting, kind="back_on").count() == 6
