"""Issue 9, case 4: a resident who stopped and later asks again gets a request that lives its
own 24 hours (the hourly clean-up does not delete it), a link that works, and reminders."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from reminders import services
from reminders.enums import SubscriptionStatus
from reminders.models import Subscription
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory
from tests.reminders.test_resident_flow import ask, url

pytestmark = pytest.mark.django_db

NEXT_WEDNESDAY = datetime(2027, 2, 10, 18, 30, tzinfo=CHICAGO)


def confirm_from_latest_email(client):
    """Open the latest confirmation link and press its button; the response."""
    body = mail.outbox[-1].body
    link = re.search(r"https://meetings\.example\.org(\S+)", body).group(1)
    return client.post(link)


@pytest.mark.parametrize("language", ["es", "en"])
def test_asking_again_days_after_stopping_survives_the_clean_up_and_is_reminded(
    client, frozen_now, committed, language
):
    meeting = MeetingFactory(starts_at=NEXT_WEDNESDAY)
    with committed():
        ask(client, meeting, language, channel="email", email="maria@example.org")
    with committed():
        confirm_from_latest_email(client)
    subscription = Subscription.objects.get()
    stop = url(language, "reminders:unsubscribe", token=services.unsubscribe_token(subscription))
    Client().post(stop, {"List-Unsubscribe": "One-Click"})
    assert Subscription.objects.get().status == SubscriptionStatus.STOPPED

    frozen_now.shift(timedelta(days=2))  # she changes her mind two days later
    with committed():
        ask(Client(), meeting, language, channel="email", email="maria@example.org")
    frozen_now.shift(timedelta(hours=1))
    call_command("send_due_reminders", verbosity=0)  # the hourly clean-up runs there too

    with committed():
        confirmed = confirm_from_latest_email(Client())
    assert confirmed["Location"] == url(language, "reminders:confirmed")
    renewed = Subscription.objects.get()
    assert renewed.status == SubscriptionStatus.CONFIRMED
    assert renewed.consent_at == renewed.created_at == datetime(2027, 2, 3, 9, tzinfo=CHICAGO)

    frozen_now.move_to(NEXT_WEDNESDAY - timedelta(hours=23))
    sent_before = len(mail.outbox)
    call_command("send_due_reminders", verbosity=0)
    assert len(mail.outbox) == sent_before + 1  # the day-before reminder, planned anew


def test_a_request_never_confirmed_is_still_deleted_a_day_after_it_was_made(
    client, frozen_now, committed
):
    meeting = MeetingFactory(starts_at=NEXT_WEDNESDAY)
    with committed():
        ask(client, meeting, "es", channel="email", email="maria@example.org")
    with committed():
        confirm_from_latest_email(client)
    services.stop_contact(Subscription.objects.get().contact_digest)
    frozen_now.shift(timedelta(days=2))
    with committed():
        ask(Client(), meeting, "es", channel="email", email="maria@example.org")
    frozen_now.shift(timedelta(hours=25))
    call_command("send_due_reminders", verbosity=0)
    assert not Subscription.objects.exists()
