"""No resident goes to a cancelled or moved meeting because of quiet hours, and no reminder
moved into the evening before says "starting soon" (issue 9, case 2)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from meetings.enums import MeetingStatus
from reminders import quiet_hours, services
from reminders.enums import Kind
from reminders.quiet_hours import Timing
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(2027, 2, day, hour, minute, tzinfo=CHICAGO)  # 7 February 2027 is a Sunday


def kinds(outbox) -> list[str]:
    return [message["tag"].split("-")[0] for message in outbox()]


def test_a_sunday_morning_meeting_cancelled_saturday_evening_is_texted_before_it(sms_outbox):
    with time_machine.travel(at(5, 10), tick=False) as clock:  # Friday
        meeting = MeetingFactory(starts_at=at(7, 9, 30))  # Sunday 09:30
        SubscriptionFactory(meeting=meeting, contact="+12145550101")
        services.plan_meeting(meeting)
        clock.move_to(at(6, 20, 30))  # Saturday 20:30: our window closed, Texas's has not
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
        call_command("send_due_reminders", verbosity=0)
        assert kinds(sms_outbox) == [Kind.CANCELLED]


def test_a_cancellation_in_the_small_hours_goes_at_once_when_no_window_opens_in_time(
    sms_outbox,
):
    with time_machine.travel(at(6, 10), tick=False) as clock:  # Saturday
        meeting = MeetingFactory(starts_at=at(7, 9, 30))  # Sunday 09:30
        SubscriptionFactory(meeting=meeting, contact="+12145550102")
        services.plan_meeting(meeting)
        clock.move_to(at(7, 2, 0))  # Sunday 02:00: no allowed minute before 09:30
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
        call_command("send_due_reminders", verbosity=0)
        assert kinds(sms_outbox) == [Kind.CANCELLED]


def test_a_meeting_moved_to_dawn_is_texted_at_once(sms_outbox):
    with time_machine.travel(at(8, 5, 2), tick=False):  # Monday 05:02
        meeting = MeetingFactory(starts_at=at(8, 18, 0))
        SubscriptionFactory(meeting=meeting, contact="+12145550103")
        services.plan_meeting(meeting)
        meeting.starts_at = at(8, 5, 32)
        meeting.ends_at = meeting.starts_at + timedelta(hours=1)
        meeting.save()
        call_command("send_due_reminders", verbosity=0)
        assert kinds(sms_outbox) == [Kind.CHANGED]


def test_a_two_hour_reminder_sent_the_evening_before_names_the_day(sms_outbox):
    with time_machine.travel(at(5, 10), tick=False) as clock:  # Friday
        meeting = MeetingFactory(starts_at=at(7, 9, 30))  # Sunday 09:30
        SubscriptionFactory(meeting=meeting, contact="+12145550104", language="es")
        services.plan_meeting(meeting)
        clock.move_to(at(6, 20, 0))  # Saturday 20:00, the last allowed minute before it
        call_command("send_due_reminders", verbosity=0)
    [text] = [m["body"] for m in sms_outbox() if m["tag"].startswith(Kind.REMINDER_2H)]
    assert "mañana domingo" in text
    assert "9:30 a. m." in text
    assert "pronto" not in text


def test_an_english_two_hour_reminder_sent_the_evening_before_says_tomorrow(sms_outbox):
    with time_machine.travel(at(5, 10), tick=False) as clock:
        meeting = MeetingFactory(starts_at=at(7, 9, 30))
        SubscriptionFactory(meeting=meeting, contact="+12145550105", language="en")
        services.plan_meeting(meeting)
        clock.move_to(at(6, 20, 0))
        call_command("send_due_reminders", verbosity=0)
    [text] = [m["body"] for m in sms_outbox() if m["tag"].startswith(Kind.REMINDER_2H)]
    assert "tomorrow, Sunday" in text
    assert "soon" not in text.lower()


@pytest.mark.parametrize(
    ("now", "start", "expected"),
    [
        (at(1, 12, 0), at(1, 18, 30), (at(1, 12, 0), Timing.NOW)),  # Monday noon
        (at(1, 6, 15), at(1, 18, 30), (at(1, 9, 0), Timing.HELD)),  # dawn: wait for 09:00
        (at(6, 20, 30), at(7, 9, 30), (at(6, 20, 30), Timing.LEGAL_HOURS)),  # Sat 20:30
        (at(7, 2, 0), at(7, 9, 30), (at(7, 2, 0), Timing.URGENT)),  # nothing opens in time
        (at(8, 5, 2), at(8, 5, 32), (at(8, 5, 2), Timing.URGENT)),
        (at(8, 10, 0), at(8, 9, 0), (None, Timing.TOO_LATE)),
    ],
)
def test_the_notice_policy(now, start, expected):
    timing = quiet_hours.notice_timing(now, meeting_start=start)
    assert (timing.at, timing.why) == expected
