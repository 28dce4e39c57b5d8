"""A week after the last meeting someone asked about, we no longer have their number."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from outreach.celery import app
from reminders import services
from reminders.enums import DeliveryStatus, SubscriptionStatus
from reminders.models import Delivery, Subscription, Suppression
from reminders.retention import purge_expired
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)  # ends 20:00


def rows_holding(token: str) -> int:
    """Count rows holding this ciphertext, asking the database itself (no ORM cache)."""
    table = Subscription._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE contact_encrypted = %s", [token])  # noqa: S608
        return cursor.fetchone()[0]


def confirmed(meeting, **kwargs):
    subscription = SubscriptionFactory(meeting=meeting, **kwargs)
    services.plan_for_subscription(subscription)
    return subscription


def test_subscription_is_really_deleted_seven_days_after_its_meeting(frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    subscription = confirmed(meeting)
    token = subscription.contact_encrypted
    deliveries = list(
        Delivery.objects.filter(subscription=subscription).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=deliveries).update(
        status=DeliveryStatus.SENT, provider_id="SM-would-lead-to-the-number"
    )

    frozen_now.move_to(meeting.ends_at + timedelta(days=7) - timedelta(minutes=1))
    assert purge_expired().expired == 0
    assert rows_holding(token) == 1

    frozen_now.move_to(meeting.ends_at + timedelta(days=7, minutes=1))
    assert purge_expired().expired == 1
    assert rows_holding(token) == 0
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    # The statistics stay, with no way back to the person.
    kept = Delivery.objects.filter(pk__in=deliveries)
    assert kept.count() == len(deliveries)
    assert set(kept.values_list("subscription", "provider_id")) == {(None, "")}
    assert set(kept.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_every_meeting_subscription_lasts_its_term_then_a_week_after_its_last_meeting(
    frozen_now,
):
    """Issue 9, case 5: no longer "a week after the last planned meeting", which deleted
    everyone in the gap between two series (tests/reminders/test_all_meetings_term.py)."""
    MeetingFactory(starts_at=WEDNESDAY)
    last = MeetingFactory(starts_at=WEDNESDAY + timedelta(days=14))
    subscription = confirmed(None)
    assert Delivery.objects.filter(subscription=subscription, meeting=last).exists()

    frozen_now.move_to(last.ends_at + timedelta(days=7, minutes=1))
    purge_expired()
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # within its term

    frozen_now.move_to(subscription.consent_at + services.all_meetings_term())
    services.end_all_meetings_terms()
    purge_expired()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_unconfirmed_requests_go_after_24_hours(frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY + timedelta(days=30))
    pending = SubscriptionFactory(
        meeting=meeting, status=SubscriptionStatus.PENDING, confirmed_at=None
    )
    frozen_now.shift(timedelta(hours=23))
    assert purge_expired().unconfirmed == 0
    frozen_now.shift(timedelta(hours=2))
    assert purge_expired().unconfirmed == 1
    assert rows_holding(pending.contact_encrypted) == 0


def test_a_stopped_number_is_forgotten_but_its_stop_is_kept(frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    subscription = confirmed(meeting)
    services.stop_contact(subscription.contact_digest, suppress=True, reason="keyword")
    frozen_now.move_to(meeting.ends_at + timedelta(days=7, minutes=1))
    purge_expired()
    assert rows_holding(subscription.contact_encrypted) == 0
    # Only the keyed digest remains, so the number is never texted again.
    assert Suppression.objects.filter(contact_digest=subscription.contact_digest).exists()


def test_the_retention_period_comes_from_settings(frozen_now, settings):
    settings.REMINDERS_RETENTION_DAYS = 2
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    subscription = confirmed(meeting)
    frozen_now.move_to(meeting.ends_at + timedelta(days=2, minutes=1))
    purge_expired()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_default_retention_is_seven_days():
    assert django_settings.REMINDERS_RETENTION_DAYS == 7


def test_purge_expired_command_reports_what_it_deleted(frozen_now, capsys):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    confirmed(meeting)
    confirmed(MeetingFactory(starts_at=WEDNESDAY + timedelta(days=20)))
    frozen_now.move_to(meeting.ends_at + timedelta(days=8))
    call_command("purge_expired")
    assert "Deleted 1 subscription(s) more than 7 day(s)" in capsys.readouterr().out
    assert Subscription.objects.count() == 1


def test_beat_runs_the_purge_every_night():
    from reminders import tasks  # noqa: F401  (what a worker's autodiscovery imports)

    entry = app.conf.beat_schedule["reminders-purge-expired"]
    assert entry["task"] == "reminders.purge_expired"
    assert entry["schedule"].hour == {3}
    assert "reminders.purge_expired" in app.tasks
