"""A resident's audit: the two-hour text of a Saturday 10:00 meeting went out at 20:00 on
Friday, fourteen hours early. When the SMS window opens on the meeting's day at least an hour
before the start, the reminder goes at the opening that morning; only otherwise earlier."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from reminders import services
from reminders.enums import Kind
from reminders.models import Delivery
from reminders.quiet_hours import allowed_send_time
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(2027, 2, day, hour, minute, tzinfo=CHICAGO)  # 13 February 2027: Saturday


def two_hour_texts(outbox) -> list[str]:
    return [m["body"] for m in outbox() if m["tag"].startswith(Kind.REMINDER_2H)]


def test_saturday_10am_meeting_gets_its_two_hour_text_at_nine_that_morning(sms_outbox):
    with time_machine.travel(at(8, 11), tick=False) as clock:  # Monday: Rosa signs up
        meeting = MeetingFactory(starts_at=at(13, 10, 0))
        rosa = SubscriptionFactory(meeting=meeting, contact="+12145550131", language="es")
        services.plan_for_subscription(rosa)
        assert Delivery.objects.get(kind=Kind.REMINDER_2H).due_at == at(13, 9, 0)
        clock.move_to(at(12, 20, 0))  # Friday evening: the day-before text only
        call_command("send_due_reminders", verbosity=0)
        assert two_hour_texts(sms_outbox) == []
        clock.move_to(at(13, 8, 59))  # before the window: nothing
        call_command("send_due_reminders", verbosity=0)
        assert two_hour_texts(sms_outbox) == []
        clock.move_to(at(13, 9, 0))
        call_command("send_due_reminders", verbosity=0)
    [text] = two_hour_texts(sms_outbox)
    # Sent the same morning, it says so: "soon" and the day, never "mañana".
    assert "La reunión empieza pronto: hoy, 10:00 a. m." in text
    assert "mañana" not in text


def test_with_less_than_an_hour_after_the_opening_it_still_goes_the_evening_before(
    sms_outbox,
):
    """Saturday 09:30: the window opens at 09:00, half an hour before: Friday 20:00, and the
    text names the day."""
    with time_machine.travel(at(8, 11), tick=False) as clock:
        meeting = MeetingFactory(starts_at=at(13, 9, 30))
        sub = SubscriptionFactory(meeting=meeting, contact="+12145550132", language="es")
        services.plan_for_subscription(sub)
        assert Delivery.objects.get(kind=Kind.REMINDER_2H).due_at == at(12, 20, 0)
        clock.move_to(at(12, 20, 0))
        call_command("send_due_reminders", verbosity=0)
    [text] = two_hour_texts(sms_outbox)
    assert "mañana sábado 13 de febrero, 9:30 a. m." in text
    assert "pronto" not in text


def test_a_sunday_1pm_meeting_is_texted_at_noon_in_english(sms_outbox):
    with time_machine.travel(at(8, 11), tick=False) as clock:
        meeting = MeetingFactory(starts_at=at(14, 13, 0))  # Sunday: the window opens at noon
        sub = SubscriptionFactory(meeting=meeting, contact="+12145550133", language="en")
        services.plan_for_subscription(sub)
        clock.move_to(at(13, 20, 0))  # Saturday evening: not yet
        call_command("send_due_reminders", verbosity=0)
        assert two_hour_texts(sms_outbox) == []
        clock.move_to(at(14, 12, 0))
        call_command("send_due_reminders", verbosity=0)
    [text] = two_hour_texts(sms_outbox)
    assert "The meeting starts soon: today, 1:00 p.m." in text
    assert "tomorrow" not in text


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(13, 10, 0), at(13, 9, 0)),  # the opening, exactly an hour before
        (at(13, 10, 30), at(13, 9, 0)),
        (at(13, 9, 59), at(12, 20, 0)),  # a minute short of an hour: the evening before
        (at(13, 8, 0), at(12, 20, 0)),  # before the opening: the evening before
        (at(14, 13, 0), at(14, 12, 0)),  # Sunday opens at noon
        (at(14, 12, 30), at(13, 20, 0)),
    ],
)
def test_the_two_hour_rule_on_the_meetings_morning(start, expected):
    desired = start.replace(hour=start.hour - 2)
    assert allowed_send_time(desired, meeting_start=start, kind=Kind.REMINDER_2H) == expected


def test_day_before_texts_still_move_to_the_evening_before():
    """The rule is for the meeting's own morning: a day-before text due before Sunday's noon
    opening still goes on Saturday evening (tests/reminders/test_quiet_hours.py)."""
    start = at(15, 8, 0)  # Monday 08:00
    sent = allowed_send_time(at(14, 8, 0), meeting_start=start, kind=Kind.REMINDER_24H)
    assert sent == at(13, 20, 0)
