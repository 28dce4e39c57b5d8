"""Issue 9, case 11: a confirmation whose send is retried leaves the resident with one code
(every try sends the same one), and a provider's permanent refusal is not retried."""

import re
from datetime import datetime, timedelta

import pytest
import requests
from django.urls import reverse

from reminders import services, tasks
from reminders.enums import Channel, SubscriptionStatus
from reminders.models import Delivery
from reminders.notify.base import Message, TransportError
from reminders.notify.outbox import OutboxTransport
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory
from tests.reminders.test_transport_privacy import FakeTwilio

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b(\d{6})\b")


class AcceptsThenTimesOut(OutboxTransport):
    """The provider takes the first text, but its answer never comes (a read timeout)."""

    calls = 0

    def send(self, message: Message) -> str:
        AcceptsThenTimesOut.calls += 1
        provider_id = super().send(message)
        if AcceptsThenTimesOut.calls == 1:
            raise TransportError("No answer from the provider in time.", unknown=True)
        return provider_id


def pending(channel: str = Channel.SMS, **fields):
    return SubscriptionFactory(
        channel=channel, status=SubscriptionStatus.PENDING, confirmed_at=None, **fields
    )


def test_a_retried_confirmation_text_repeats_the_same_code(settings, frozen_now, sms_outbox):
    settings.REMINDERS_SMS_TRANSPORT = f"{__name__}.AcceptsThenTimesOut"
    AcceptsThenTimesOut.calls = 0
    subscription = pending(contact="+17135550134")
    services.request_subscription(
        channel=Channel.SMS,
        contact="+17135550134",
        language="es",
        meeting=subscription.meeting,
        consent_page="/es/",
    )
    tasks.send_confirmation.delay(subscription.pk)  # eager: the retry runs at once
    first, second = (CODE.search(m["body"]).group(1) for m in sms_outbox())
    assert first == second
    assert services.confirm_code(subscription.pk, first) == services.CodeResult.CONFIRMED


def test_a_retried_confirmation_email_repeats_the_same_link(settings, frozen_now, mailoutbox):
    subscription = pending(Channel.EMAIL, contact="maria@example.org")
    services.request_subscription(
        channel=Channel.EMAIL,
        contact="maria@example.org",
        language="en",
        meeting=subscription.meeting,
        consent_page="/en/",
    )
    services.send_confirmation(subscription.pk)
    services.send_confirmation(subscription.pk)  # a redelivered task runs it again
    links = [re.search(r"https://\S+", m.body).group(0) for m in mailoutbox]
    assert links[0] == links[1]
    token = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert services.confirm_token(token).status == SubscriptionStatus.CONFIRMED


def test_asking_for_a_new_code_replaces_the_old_one(settings, frozen_now, sms_outbox):
    subscription = pending(contact="+17135550134")
    services.request_subscription(
        channel=Channel.SMS,
        contact="+17135550134",
        language="es",
        meeting=subscription.meeting,
        consent_page="/es/",
    )
    services.send_confirmation(subscription.pk)
    frozen_now.shift(60)
    services.resend_confirmation(subscription.pk)
    services.send_confirmation(subscription.pk)
    old, new = (CODE.search(m["body"]).group(1) for m in sms_outbox())
    assert old != new
    assert services.confirm_code(subscription.pk, old) == services.CodeResult.WRONG
    assert services.confirm_code(subscription.pk, new) == services.CodeResult.CONFIRMED


class InvalidNumberTwilio(FakeTwilio):
    def send(self, prepared, **kwargs) -> requests.Response:
        self.created.append({})
        response = requests.Response()
        response.status_code = 400
        response.headers["Content-Type"] = "application/json"
        body = '{"code": 21211, "message": "Invalid To number", "status": 400}'
        response._content = body.encode()
        return response


@pytest.mark.parametrize("task", [tasks.send_confirmation, tasks.send_welcome])
def test_twilio_s_invalid_number_is_not_retried(settings, monkeypatch, frozen_now, task):
    settings.REMINDERS_SMS_TRANSPORT = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "token"
    settings.TWILIO_FROM_NUMBER = "+17135550100"
    twilio = InvalidNumberTwilio()
    monkeypatch.setattr(requests.Session, "send", twilio.send)
    subscription = (
        pending() if task is tasks.send_confirmation else SubscriptionFactory(welcomed=False)
    )
    task.delay(subscription.pk)  # eager: retries would run at once
    assert len(twilio.created) == 1


def test_a_busy_provider_is_retried(settings, frozen_now, sms_outbox):
    from tests.reminders.flaky_transport import FailTwiceTransport

    settings.REMINDERS_SMS_TRANSPORT = "tests.reminders.flaky_transport.FailTwiceTransport"
    FailTwiceTransport.failures_left = 2
    tasks.send_confirmation.delay(pending().pk)
    assert len(sms_outbox()) == 1


def test_a_reminder_to_an_invalid_number_fails_once_and_staff_see_why(
    settings, monkeypatch, frozen_now, client, outreach_staff
):
    """The engine's side of the same rule: one try, then 'failed' with Twilio's code on the
    meeting's admin page (counts only)."""
    settings.REMINDERS_SMS_TRANSPORT = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "token"
    settings.TWILIO_FROM_NUMBER = "+17135550100"
    twilio = InvalidNumberTwilio()
    monkeypatch.setattr(requests.Session, "send", twilio.send)
    meeting = MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))
    SubscriptionFactory(meeting=meeting)
    services.plan_meeting(meeting)
    frozen_now.move_to(meeting.starts_at - timedelta(hours=23))
    services.dispatch(in_process=True)
    frozen_now.shift(timedelta(minutes=30))
    services.dispatch(in_process=True)
    assert len(twilio.created) == 1
    failed = Delivery.objects.get(kind="reminder_24h")
    assert (failed.status, failed.last_error) == ("failed", "Twilio error 21211 (HTTP 400).")
    client.force_login(outreach_staff)  # now, with the clock moved on
    response = client.get(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    assert "1 × Twilio error 21211 (HTTP 400)." in page
