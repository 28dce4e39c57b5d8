"""Reminder offsets are a per-meeting choice: three days before ("plan your visit"), the day
before, two hours before; all three by default, each within the hours texts may go out."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from reminders import frequency, services
from reminders.enums import Kind
from reminders.models import Delivery
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(2027, 2, day, hour, minute, tzinfo=CHICAGO)  # 2027-02-08 is a Monday


def kinds(outbox) -> list[str]:
    return [m["tag"].split("-")[0] for m in outbox]


def test_monday_signup_for_saturday_gets_wednesdays_plan_your_visit_text(sms_outbox):
    with time_machine.travel(at(8, 11, 0), tick=False) as clock:  # Monday
        venue = VenueFactory(street_address="1400 W Jefferson Blvd")
        meeting = MeetingFactory(
            venue=venue, starts_at=at(13, 10, 0), spoken_languages=["es"], interpretation=True
        )
        sub = SubscriptionFactory(meeting=meeting, language="en", contact="+17135550141")
        services.plan_for_subscription(sub)
        clock.move_to(at(10, 9, 59))  # Wednesday, a minute early: nothing yet
        call_command("send_due_reminders", verbosity=0)
        assert sms_outbox() == []
        clock.move_to(at(10, 10, 0))
        call_command("send_due_reminders", verbosity=0)
        (text,) = sms_outbox()
        assert kinds([text]) == [Kind.REMINDER_3D]
        body = text["body"]
        assert "Plan your visit" in body and "1400 W Jefferson Blvd" in body
        assert "Free" in body and "Children welcome" in body
        # Spoken in Spanish only: an English reader is told there is interpretation.
        assert "Interpretation offered" in body


def test_a_saturday_morning_meeting_plans_its_visit_text_the_evening_before_not_at_dawn():
    with time_machine.travel(at(8, 11, 0), tick=False):
        meeting = MeetingFactory(starts_at=at(13, 8, 0))  # Saturday 08:00
        sub = SubscriptionFactory(meeting=meeting, contact="+17135550142")
        services.plan_for_subscription(sub)
    due = {
        kind: at.astimezone(CHICAGO)
        for kind, at in Delivery.objects.filter(subscription=sub).values_list("kind", "due_at")
    }
    # Wednesday 08:00 is before the SMS window: Tuesday 20:00, earlier, never later.
    assert due == {
        Kind.REMINDER_3D: at(9, 20, 0),
        Kind.REMINDER_24H: at(11, 20, 0),
        Kind.REMINDER_2H: at(12, 20, 0),
    }


def test_a_meeting_with_only_the_day_before_chosen_plans_only_that_one():
    with time_machine.travel(at(8, 11, 0), tick=False):
        meeting = MeetingFactory(starts_at=at(13, 10, 0), reminder_offsets=[Kind.REMINDER_24H])
        sub = SubscriptionFactory(meeting=meeting, contact="+17135550143")
        services.plan_for_subscription(sub)
    assert list(Delivery.objects.values_list("kind", flat=True)) == [Kind.REMINDER_24H]


def test_the_consent_promises_at_most_three_reminders_per_meeting():
    assert frequency.reminders_per_meeting() == 3


def test_staff_see_how_many_messages_a_subscriber_gets_before_moving_a_meeting(
    frozen_now, staff_client
):
    """Moved from Wednesday to the next Saturday on Monday: the change notice, then all three
    reminders again; a meeting with only the two-hour reminder chosen: the notice and one."""
    from django.urls import reverse

    from tests.meetings.test_staff_actions import cancel_url

    frozen_now.move_to(at(8, 11, 0))  # Monday
    three = MeetingFactory(starts_at=at(10, 18, 30))
    one = MeetingFactory(starts_at=at(10, 18, 30), reminder_offsets=[Kind.REMINDER_2H])
    for meeting in (three, one):
        url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
        data = {
            "day": "2027-02-13",
            "venue": meeting.venue.pk,
            "start_time": "10:00",
            "end_time": "11:30",
        }
        html = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        expected = (
            "Up to 4 messages: the notice, then 3 reminders."
            if meeting is three
            else "Up to 2 messages: the notice, then 1 reminder."
        )
        assert expected in html
    html = staff_client.get(cancel_url(three), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "1 mensaje: el aviso." in html


def test_the_meeting_page_names_the_reminders_chosen_for_it(client):
    from django.utils import translation

    with time_machine.travel(at(8, 11, 0), tick=False):
        meeting = MeetingFactory(
            starts_at=at(13, 10, 0), reminder_offsets=[Kind.REMINDER_2H, Kind.REMINDER_3D]
        )
        with translation.override("en"):
            page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Get a reminder 3 days before (plan your visit) and 2 hours before," in page
    assert "up to 3 reminders before each meeting" in page


def test_a_series_and_a_csv_import_choose_their_reminders(frozen_now, staff_client):
    """Staff tick only "2 hours before" for a series; a CSV row says "1d 2h", another leaves
    the column empty (all three), a third writes a word the list does not have."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from meetings.models import Meeting
    from tests.reminders.test_planning_after_commit import series_form

    venue = VenueFactory(name="Familia Bethel")
    form = series_form(venue) | {"reminder_offsets": [Kind.REMINDER_2H]}
    form["dates"] = "2027-02-03"
    assert staff_client.post(reverse("admin:meetings_meeting_series"), form).status_code == 302
    assert Meeting.objects.get().reminder_offsets == [Kind.REMINDER_2H]

    header = "date,start,end,venue,title_en,title_es,description_en,description_es,published,"
    text = (
        header
        + "reminders\n"
        + (
            "2027-02-10,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,no,1d 2h\n"
            "2027-02-17,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,no,\n"
        )
    )
    url = reverse("admin:meetings_meeting_import")
    staff_client.post(url, {"text": text, "_confirm": "1"})
    imported = Meeting.objects.exclude(reminder_offsets=[Kind.REMINDER_2H]).order_by("starts_at")
    assert [m.reminder_offsets for m in imported] == [
        [Kind.REMINDER_24H, Kind.REMINDER_2H],
        [Kind.REMINDER_3D, Kind.REMINDER_24H, Kind.REMINDER_2H],
    ]
    bad = header + "reminders\n2027-02-24,18:30,20:00,Familia Bethel,A,B,C,D,no,weekly\n"
    upload = SimpleUploadedFile("s.csv", bad.encode(), content_type="text/csv")
    html = staff_client.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Row 2: “weekly” is not understood; write 3d, 1d or 2h" in html


def test_the_reminder_times_read_as_a_list_in_each_language():
    from django.utils import translation

    meeting = MeetingFactory()  # all three, by default
    expected = {
        "es": "3 días antes (para planear su visita), 1 día antes y 2 horas antes",
        "vi": "trước 3 ngày (để chuẩn bị đến dự), trước 1 ngày và trước 2 giờ",
        "ar": "قبل 3 أيام (للتخطيط لزيارتكم)، قبل يوم واحد وقبل ساعتين",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert frequency.reminder_times(meeting) == text
    meeting.reminder_offsets = [Kind.REMINDER_2H]
    with translation.override("es"):
        assert frequency.reminder_times(meeting) == "2 horas antes"
