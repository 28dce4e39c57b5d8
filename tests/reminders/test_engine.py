"""Planning, dispatching and sending: each message once, on time, never after the start."""

import threading
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections

from meetings.enums import MeetingStatus
from reminders import services
from reminders.enums import DeliveryStatus, Kind
from reminders.models import Delivery, Subscription
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory, VenueFactory
from tests.reminders.flaky_transport import FailTwiceTransport

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


def statuses() -> dict[str, str]:
    return dict(Delivery.objects.values_list("kind", "status"))


def sent_kinds(outbox) -> list[str]:
    return [message["tag"].split("-")[0] for message in outbox()]


@pytest.fixture
def subscribed(db, frozen_now):
    """A meeting on Wednesday evening with one confirmed SMS subscriber, reminders planned."""
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    subscription = SubscriptionFactory(meeting=meeting)
    services.plan_for_subscription(subscription)
    return meeting


def send_due_at(traveller, moment: datetime) -> None:
    traveller.move_to(moment)
    call_command("send_due_reminders", verbosity=0)


def test_reminders_go_out_24_and_2_hours_before(subscribed, frozen_now, sms_outbox):
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=25))
    assert sms_outbox() == []
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=24))
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23))
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=2))
    assert sent_kinds(sms_outbox) == ["reminder_24h", "reminder_2h"]


def test_nothing_is_sent_after_the_meeting_starts(subscribed, frozen_now, sms_outbox):
    send_due_at(frozen_now, WEDNESDAY_EVENING + timedelta(minutes=1))
    assert sms_outbox() == []
    assert set(statuses().values()) == {DeliveryStatus.SKIPPED}


def test_a_dispatcher_that_was_down_sends_only_the_latest_reminder(
    subscribed, frozen_now, sms_outbox
):
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=1))
    assert sent_kinds(sms_outbox) == ["reminder_2h"]
    assert statuses()[Kind.REMINDER_24H] == DeliveryStatus.SKIPPED


def test_a_late_subscription_gets_only_the_reminders_still_ahead(db, frozen_now, sms_outbox):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=10))
    services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    assert list(Delivery.objects.values_list("kind", flat=True)) == [Kind.REMINDER_2H]


def test_cancelling_sends_a_notice_at_once_and_no_more_reminders(
    subscribed, frozen_now, sms_outbox, committed
):
    with committed():
        subscribed.status = MeetingStatus.CANCELLED
        subscribed.save()
    assert sent_kinds(sms_outbox) == ["cancelled"]  # the dispatcher was queued on commit
    assert "CANCELADA" in sms_outbox()[0]["body"]
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=2))
    assert sent_kinds(sms_outbox) == ["cancelled"]


def test_a_new_time_sends_a_changed_notice_and_reminders_follow_the_new_time(
    subscribed, frozen_now, sms_outbox, committed
):
    later = WEDNESDAY_EVENING + timedelta(days=1, hours=1)
    with committed():
        subscribed.starts_at, subscribed.ends_at = later, later + timedelta(hours=1)
        subscribed.save()
    (notice,) = sms_outbox()
    assert notice["tag"].startswith("changed")
    assert "jueves 4 de febrero, 7:30 p. m." in notice["body"]
    # The old time: no old reminder; only the new time's plan-your-visit text (three days
    # before Thursday 19:30 is Monday 19:30, still ahead when the meeting moved).
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=2))
    assert sent_kinds(sms_outbox) == ["changed", "reminder_3d"]
    send_due_at(frozen_now, later - timedelta(hours=2))
    assert sent_kinds(sms_outbox) == ["changed", "reminder_3d", "reminder_2h"]


def test_a_new_venue_sends_a_changed_notice(subscribed, sms_outbox, committed):
    with committed():
        subscribed.venue = VenueFactory(name="Iglesia San José")
        subscribed.save()
    assert "Iglesia San José" in sms_outbox()[0]["body"]


def test_saving_without_changes_sends_nothing(subscribed, sms_outbox, committed):
    with committed():
        subscribed.title_en = "Community meeting (fixed typo)"
        subscribed.save()
    assert sms_outbox() == []


def test_a_transport_failing_twice_then_succeeding_sends_once_after_3_attempts(
    subscribed, frozen_now, settings, sms_outbox
):
    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.FailTwiceTransport"
    FailTwiceTransport.failures_left = 2
    due = WEDNESDAY_EVENING - timedelta(hours=24)
    for minutes in (0, 1, 3, 7):  # backoff: 1 minute, then 2
        send_due_at(frozen_now, due + timedelta(minutes=minutes))
    delivery = Delivery.objects.get(kind=Kind.REMINDER_24H)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 3)
    assert sent_kinds(sms_outbox) == ["reminder_24h"]


def test_a_permanent_error_fails_at_once(subscribed, frozen_now, settings, sms_outbox):
    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.RejectingTransport"
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23))
    delivery = Delivery.objects.get(kind=Kind.REMINDER_24H)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "+1713" not in delivery.last_error


def test_a_task_run_twice_sends_once(subscribed, frozen_now, sms_outbox):
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=23))
    (pk,) = services.claim_due()
    assert services.send_delivery(pk) == services.Outcome.SENT
    assert services.send_delivery(pk) == services.Outcome.NOTHING
    assert len(sms_outbox()) == 1


def test_a_worker_lost_mid_task_is_sent_later_once(subscribed, frozen_now, settings, sms_outbox):
    """The worker died after claiming: the row stays "sending" until its lease runs out, then
    the next dispatcher pass queues it again."""
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=23))
    assert len(services.claim_due()) == 1  # ... and the worker is killed here
    lease = timedelta(seconds=settings.REMINDERS_CLAIM_LEASE_SECONDS)
    assert lease < timedelta(minutes=1)  # recovered within the dispatcher's next minute
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23) + lease / 2)
    assert sms_outbox() == []
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23) + lease + timedelta(seconds=1))
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=22))
    assert sent_kinds(sms_outbox) == ["reminder_24h"]


def test_a_stopped_number_gets_nothing_until_it_texts_start(subscribed, frozen_now, sms_outbox):
    digest = Subscription.objects.get().contact_digest
    services.stop_contact(digest, suppress=True, reason="STOP")
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23))
    assert sms_outbox() == []
    assert services.is_suppressed(digest)
    services.resume_contact(digest)
    assert not services.is_suppressed(digest)


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_each_message_once(frozen_now, sms_outbox):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    for _ in range(40):
        services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=23))
    start = threading.Barrier(2)
    errors = []

    def dispatcher() -> None:
        try:
            start.wait()
            services.dispatch(in_process=True)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "sqlite":
        # SQLite may refuse the second writer mid-send ("database is locked"): such rows wait
        # for their lease, then go out once like any lost task.
        frozen_now.shift(timedelta(minutes=11))
    else:
        assert errors == []
    call_command("send_due_reminders", verbosity=0)
    tags = [message["tag"] for message in sms_outbox()]
    assert len(tags) == len(set(tags)) == 40


def test_subscriber_counts_are_per_channel_and_language(db, frozen_now, settings):
    settings.LANGUAGES = settings.LANGUAGES[:2]  # Spanish and English, whatever LANGUAGES says
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    SubscriptionFactory(meeting=meeting, language="es")
    SubscriptionFactory(meeting=meeting, language="en", channel="email", contact="a@example.org")
    SubscriptionFactory(meeting=None, language="es")
    SubscriptionFactory(meeting=meeting, status="pending")
    counts = services.subscriber_counts([meeting.pk])[meeting.pk]
    assert counts == {"total": 3, "sms": {"es": 2, "en": 0}, "email": {"es": 0, "en": 1}}
