"""A worker's task of several deliveries opens one connection per channel, not one per
message (issue 9, case 11): one SMTP session, one Twilio client."""

from datetime import datetime, timedelta

import pytest
from django.core import mail

from reminders import services, tasks
from reminders.enums import Channel
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory
from tests.reminders.counting_mail import CountingBackend
from tests.reminders.flaky_transport import CountingTransport

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


def three_subscribers_due(frozen_now, channel: str) -> list[int]:
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    for n in range(3):
        contact = f"vecino{n}@example.org" if channel == Channel.EMAIL else f"+1214555010{n}"
        services.plan_for_subscription(
            SubscriptionFactory(meeting=meeting, channel=channel, contact=contact)
        )
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=23))
    return services.claim_due()


def test_a_batch_of_emails_shares_one_mail_server_connection(frozen_now, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.reminders.counting_mail.CountingBackend"}}
    CountingBackend.opened = 0
    ids = three_subscribers_due(frozen_now, Channel.EMAIL)
    tasks.send_deliveries(ids)
    assert len(mail.outbox) == 3
    assert CountingBackend.opened == 1


def test_a_batch_of_texts_shares_one_provider_client(frozen_now, settings):
    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.CountingTransport"
    CountingTransport.made = 0
    ids = three_subscribers_due(frozen_now, Channel.SMS)
    tasks.send_deliveries(ids)
    assert CountingTransport.made == 1
