"""Each message once, whatever dies where (issue 9, cases 6, 7 and 10).

A send commits an attempt marker, calls the provider with no transaction open, then records
the outcome. These tests break it at each point; tests/reminders/test_worker.py does the same
with a real worker process killed by SIGKILL.
"""

import threading
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connections

from meetings.enums import MeetingStatus
from reminders import services
from reminders.enums import DeliveryStatus, Kind, SkipReason
from reminders.models import Delivery
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory
from tests.reminders import flaky_transport
from tests.reminders.flaky_transport import Crash

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
DAY_BEFORE = WEDNESDAY_EVENING - timedelta(hours=24)


@pytest.fixture
def subscribed(frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    return meeting


@pytest.fixture
def crashing(settings):
    def use(name: str, at: str) -> None:
        settings.REMINDERS_SMS_TRANSPORT = f"tests.reminders.flaky_transport.{name}"
        getattr(flaky_transport, name).crash_at = at

    yield use
    flaky_transport.CrashingTransport.crash_at = None


def send_due_at(traveller, moment: datetime) -> None:
    traveller.move_to(moment)
    call_command("send_due_reminders", verbosity=0)


def tags(outbox) -> list[str]:
    return [message["tag"].split("-")[0] for message in outbox()]


def after_the_attempt_timeout(settings) -> datetime:
    wait = max(settings.REMINDERS_ATTEMPT_TIMEOUT_SECONDS, settings.REMINDERS_CLAIM_LEASE_SECONDS)
    return DAY_BEFORE + timedelta(seconds=wait + 1)


def test_dying_before_the_provider_call_sends_once_later(
    subscribed, frozen_now, crashing, settings, sms_outbox
):
    crashing("CrashingTransport", "before_call")
    with pytest.raises(Crash):
        send_due_at(frozen_now, DAY_BEFORE)
    assert Delivery.objects.get(kind=Kind.REMINDER_24H).attempt_started_at is not None
    send_due_at(frozen_now, after_the_attempt_timeout(settings))
    assert tags(sms_outbox) == [Kind.REMINDER_24H]
    assert Delivery.objects.get(kind=Kind.REMINDER_24H).status == DeliveryStatus.SENT


def test_dying_after_the_provider_accepted_does_not_send_again(
    subscribed, frozen_now, crashing, settings, sms_outbox
):
    crashing("CrashingTransport", "after_accept")
    with pytest.raises(Crash):
        send_due_at(frozen_now, DAY_BEFORE)
    send_due_at(frozen_now, after_the_attempt_timeout(settings))
    send_due_at(frozen_now, after_the_attempt_timeout(settings) + timedelta(minutes=5))
    assert tags(sms_outbox) == [Kind.REMINDER_24H]
    delivery = Delivery.objects.get(kind=Kind.REMINDER_24H)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_id.startswith("outbox-")


def test_a_run_still_within_the_attempt_timeout_is_not_second_guessed(
    subscribed, frozen_now, crashing, settings, sms_outbox
):
    crashing("CrashingTransport", "before_call")
    with pytest.raises(Crash):
        send_due_at(frozen_now, DAY_BEFORE)
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 1  # re-claimed at once...
    send_due_at(frozen_now, DAY_BEFORE + timedelta(seconds=2))
    assert sms_outbox() == []  # ...but the earlier run may still be talking to the provider
    assert Delivery.objects.get(kind=Kind.REMINDER_24H).status == DeliveryStatus.PENDING


def test_a_reminder_whose_fate_cannot_be_known_is_not_sent_twice(
    subscribed, frozen_now, crashing, settings, sms_outbox
):
    crashing("CrashingBlindTransport", "after_accept")
    with pytest.raises(Crash):
        send_due_at(frozen_now, DAY_BEFORE)
    send_due_at(frozen_now, after_the_attempt_timeout(settings))
    assert tags(sms_outbox) == [Kind.REMINDER_24H]
    delivery = Delivery.objects.get(kind=Kind.REMINDER_24H)
    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.FAILED,
        SkipReason.OUTCOME_UNKNOWN,
    )


def test_a_cancellation_whose_fate_cannot_be_known_is_sent_again(
    subscribed, frozen_now, crashing, settings, sms_outbox
):
    crashing("CrashingBlindTransport", "after_accept")
    frozen_now.move_to(DAY_BEFORE - timedelta(hours=2))
    subscribed.status = MeetingStatus.CANCELLED
    subscribed.save()
    with pytest.raises(Crash):
        send_due_at(frozen_now, DAY_BEFORE - timedelta(hours=2))
    send_due_at(frozen_now, DAY_BEFORE - timedelta(hours=1))
    assert tags(sms_outbox) == [Kind.CANCELLED, Kind.CANCELLED]  # twice beats never
    assert Delivery.objects.get(kind=Kind.CANCELLED).status == DeliveryStatus.SENT


def test_a_provider_that_accepts_then_times_out_is_asked_before_any_new_try(
    subscribed, frozen_now, settings, sms_outbox
):
    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.AcceptThenTimeOutTransport"
    flaky_transport.AcceptThenTimeOutTransport.timeouts_left = 1
    send_due_at(frozen_now, DAY_BEFORE)
    delivery = Delivery.objects.get(kind=Kind.REMINDER_24H)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempt_started_at is not None  # staff see it as "checking"
    send_due_at(frozen_now, after_the_attempt_timeout(settings))
    send_due_at(frozen_now, DAY_BEFORE + timedelta(hours=1))
    assert tags(sms_outbox) == [Kind.REMINDER_24H]
    assert Delivery.objects.get(kind=Kind.REMINDER_24H).status == DeliveryStatus.SENT


def test_temporary_errors_are_retried_until_the_message_loses_its_value(
    frozen_now, settings, sms_outbox
):
    """A provider down for good: the two-hour reminder keeps trying until the start (not five
    tries in a quarter of an hour), then fails with the reason staff see."""
    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.FailTwiceTransport"
    flaky_transport.FailTwiceTransport.failures_left = 10_000
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    moment = WEDNESDAY_EVENING - timedelta(hours=2)
    while moment <= WEDNESDAY_EVENING + timedelta(minutes=1):
        send_due_at(frozen_now, moment)
        moment += timedelta(seconds=30)
    delivery = Delivery.objects.get(kind=Kind.REMINDER_2H)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error.startswith(SkipReason.GAVE_UP)
    assert delivery.attempts > 5
    flaky_transport.FailTwiceTransport.failures_left = 2


def test_an_unpublished_then_republished_meeting_reminds_its_subscribers(
    subscribed, frozen_now, sms_outbox
):
    subscribed.published = False
    subscribed.save()
    subscribed.published = True
    subscribed.save()
    send_due_at(frozen_now, DAY_BEFORE)
    assert tags(sms_outbox) == [Kind.REMINDER_24H]


def test_a_new_venue_address_is_a_move_with_a_notice(subscribed, frozen_now, sms_outbox):
    frozen_now.move_to(DAY_BEFORE - timedelta(hours=3))
    venue = subscribed.venue
    venue.street_address = "2801 N Harwood St"
    venue.save()
    send_due_at(frozen_now, DAY_BEFORE - timedelta(hours=3))
    send_due_at(frozen_now, DAY_BEFORE)
    assert tags(sms_outbox) == [Kind.CHANGED, Kind.REMINDER_24H]
    assert all("2801 N Harwood St" in message["body"] for message in sms_outbox())


@pytest.mark.django_db(transaction=True)
def test_a_reschedule_racing_a_send_never_lets_the_old_time_arrive_after_the_notice(
    frozen_now, settings, sms_outbox
):
    """A worker is sending the day-before reminder (old time) when staff move the meeting.
    The change notice must not overtake it: it waits for the reminder to be settled."""
    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.GatedTransport"
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    frozen_now.move_to(DAY_BEFORE)
    (reminder,) = services.claim_due()
    gate = flaky_transport.GatedTransport.gate = threading.Event()
    flaky_transport.GatedTransport.entered = threading.Event()

    def send_old_reminder() -> None:
        try:
            services.send_delivery(reminder)
        finally:
            connections.close_all()

    worker = threading.Thread(target=send_old_reminder)
    worker.start()
    assert flaky_transport.GatedTransport.entered.wait(10)  # the provider call is under way
    meeting.starts_at = WEDNESDAY_EVENING + timedelta(hours=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    meeting.save()  # staff move it; the notice is due now
    call_command("send_due_reminders", verbosity=0)
    gate.set()
    worker.join(10)
    frozen_now.move_to(DAY_BEFORE + timedelta(minutes=1))
    call_command("send_due_reminders", verbosity=0)
    assert tags(sms_outbox) == [Kind.REMINDER_24H, Kind.CHANGED]
