"""The planner and the sender keep quiet hours for texts; email keeps its exact times."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from meetings.enums import MeetingStatus
from reminders import services
from reminders.enums import Channel, DeliveryStatus, Kind
from reminders.models import Delivery
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(2027, 2, day, hour, minute, tzinfo=CHICAGO)


def due_times(subscription) -> dict[str, datetime]:
    rows = Delivery.objects.filter(subscription=subscription).values_list("kind", "due_at")
    return {kind: due.astimezone(CHICAGO) for kind, due in rows}


def test_monday_8am_meeting_texts_go_the_evenings_before_emails_on_time(frozen_now):
    meeting = MeetingFactory(starts_at=at(8, 8, 0))  # Monday 08:00
    sms = SubscriptionFactory(meeting=meeting, contact="+17135550101")
    email = SubscriptionFactory(meeting=meeting, channel=Channel.EMAIL, contact="ana@example.org")
    services.plan_meeting(meeting)
    assert due_times(sms) == {
        Kind.REMINDER_3D: at(4, 20),  # Friday 08:00 is before the window: Thursday evening
        Kind.REMINDER_24H: at(6, 20),
        Kind.REMINDER_2H: at(7, 20),
    }
    assert due_times(email) == {
        Kind.REMINDER_3D: at(5, 8),
        Kind.REMINDER_24H: at(7, 8),
        Kind.REMINDER_2H: at(8, 6),
    }


def test_cancellation_at_dawn_texts_at_nine_and_emails_at_once(sms_outbox, committed):
    with time_machine.travel(at(8, 5, 0), tick=False) as clock:  # Monday 05:00
        meeting = MeetingFactory(starts_at=at(8, 18, 30))
        SubscriptionFactory(meeting=meeting, contact="+17135550102")
        SubscriptionFactory(meeting=meeting, channel=Channel.EMAIL, contact="ana@example.org")
        services.plan_meeting(meeting)
        clock.move_to(at(8, 6, 15))
        with committed():  # planned by the worker once the change commits
            meeting.status = MeetingStatus.CANCELLED
            meeting.save()
        notices = Delivery.objects.filter(kind=Kind.CANCELLED)
        assert notices.get(channel=Channel.SMS).due_at == at(8, 9, 0)
        assert notices.get(channel=Channel.EMAIL).due_at == at(8, 6, 15)
        call_command("send_due_reminders", verbosity=0)
        assert sms_outbox() == []
        clock.move_to(at(8, 9, 0))
        call_command("send_due_reminders", verbosity=0)
        assert [m["tag"].split("-")[0] for m in sms_outbox()] == [Kind.CANCELLED]


def test_a_dispatcher_catching_up_at_night_holds_texts_until_morning(sms_outbox):
    with time_machine.travel(at(1, 9, 0), tick=False) as clock:  # Monday
        meeting = MeetingFactory(starts_at=at(2, 12, 0))  # Tuesday noon
        SubscriptionFactory(meeting=meeting, contact="+17135550103")
        services.plan_meeting(meeting)
        # The day-before reminder was due Monday 12:00; the dispatcher was down until 22:00.
        clock.move_to(at(1, 22, 0))
        call_command("send_due_reminders", verbosity=0)
        assert sms_outbox() == []
        held = Delivery.objects.get(kind=Kind.REMINDER_24H)
        assert held.status == DeliveryStatus.PENDING
        assert held.next_try_at == at(2, 9, 0)
        clock.move_to(at(2, 9, 0))
        call_command("send_due_reminders", verbosity=0)
        assert [m["tag"].split("-")[0] for m in sms_outbox()] == [Kind.REMINDER_24H]


def test_a_text_that_cannot_go_before_the_start_is_skipped(sms_outbox):
    with time_machine.travel(at(7, 12, 0), tick=False) as clock:  # Sunday noon
        meeting = MeetingFactory(starts_at=at(8, 8, 30))  # Monday 08:30
        SubscriptionFactory(meeting=meeting, contact="+17135550104")
        services.plan_meeting(meeting)
        # Down all Sunday evening: at 21:00 the next allowed minute (09:00) is after the start.
        clock.move_to(at(7, 21, 0))
        call_command("send_due_reminders", verbosity=0)
        assert sms_outbox() == []
        statuses = set(Delivery.objects.values_list("status", flat=True))
        assert statuses == {DeliveryStatus.SKIPPED}
