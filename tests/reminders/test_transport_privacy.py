"""Issue 9, case 11: no transport, the console included, writes a message's recipient or its
confirmation code or link to standard output or a log. Each transport sends a confirmation
(the most sensitive message: its secret confirms a subscription) and a reminder, and what was
printed and logged is read back."""

import json
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import requests
from django.core import mail
from django.utils import timezone

from reminders import services
from reminders.enums import Channel, SubscriptionStatus
from reminders.models import Subscription
from reminders.notify import Message, transport_for
from tests.factories import MeetingFactory, SubscriptionFactory
from tests.outreach.test_security import BASE_DIR
from tests.reminders.test_email_wire import (  # noqa: F401  (smtp_server: a fixture)
    WEDNESDAY_EVENING,
    smtp_server,
)

pytestmark = pytest.mark.django_db

PHONE = "+17135550134"
EMAIL = "vecina.privada@example.org"


@pytest.fixture
def everything_written(capsys, caplog):
    """All that was printed (stdout, stderr) and logged at any level, as one text."""

    def read() -> str:
        out, err = capsys.readouterr()
        return out + err + "\n".join(r.getMessage() for r in caplog.records)

    return read


def pending(channel: str, contact: str) -> Subscription:
    return SubscriptionFactory(
        channel=channel, contact=contact, status=SubscriptionStatus.PENDING, confirmed_at=None
    )


def assert_private(text: str, contact: str) -> None:
    assert contact not in text
    digits = re.sub(r"\D", "", contact)
    if digits:
        assert digits[-4:] not in text, "part of the number was written"
    assert not re.search(r"\b\d{6}\b", text), "a six-digit code was written"
    assert "/confirm" not in text and "/confirmar" not in text and "/remind/" not in text
    assert "recordatorios/" not in text


def test_console_sms_prints_neither_number_nor_code(settings, everything_written, frozen_now):
    settings.REMINDERS_SMS_TRANSPORT = "console"
    subscription = pending(Channel.SMS, PHONE)
    services.send_confirmation(subscription.pk)
    written = everything_written()
    assert "confirm-s" in written  # the console still shows that a text went, and which
    assert_private(written, PHONE)


def test_console_email_prints_neither_address_nor_link(settings, everything_written, frozen_now):
    settings.MAILERS = {"default": {"BACKEND": local_email_backend()}}
    subscription = pending(Channel.EMAIL, EMAIL)
    services.send_confirmation(subscription.pk)
    written = everything_written()
    assert "Subject:" in written
    assert_private(written, EMAIL)


def local_email_backend(**variables: str) -> str:
    """The mail backend the settings choose with no EMAIL_HOST (and these variables)."""
    code = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "outreach.settings"}
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment | variables,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_naming_django_s_console_backend_still_prints_no_contact():
    named = local_email_backend(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert named == local_email_backend() == "reminders.notify.console.ConsoleEmailBackend"


def test_outbox_sms_writes_files_only(settings, everything_written, frozen_now, sms_outbox):
    subscription = pending(Channel.SMS, PHONE)
    services.send_confirmation(subscription.pk)
    assert sms_outbox()[-1]["to"] == PHONE  # in the outbox file (mode 0600), not a log
    assert_private(everything_written(), PHONE)


def test_smtp_email_logs_nothing_of_the_message(
    settings,
    everything_written,
    frozen_now,
    smtp_server,  # noqa: F811
):
    subscription = pending(Channel.EMAIL, EMAIL)
    services.send_confirmation(subscription.pk)
    assert EMAIL.encode() in smtp_server[0]
    assert_private(everything_written(), EMAIL)


class FakeTwilio:
    """Twilio's REST API as far as the transport uses it (create, list), at the HTTP layer."""

    def __init__(self) -> None:
        self.created: list[dict] = []

    def send(self, prepared, **kwargs) -> requests.Response:
        response = requests.Response()
        response.headers["Content-Type"] = "application/json"
        response.url = prepared.url
        if prepared.method == "POST":
            fields = dict(re.findall(r"([^&=]+)=([^&]*)", prepared.body or ""))
            record = {"sid": f"SM{len(self.created):032d}", "status": "queued", **fields}
            self.created.append(record)
            response.status_code, body = 201, record
        else:
            response.status_code, body = 200, {"messages": [], "next_page_uri": None}
        response._content = json.dumps(body).encode()
        return response


def test_twilio_logs_neither_number_nor_body(settings, monkeypatch, everything_written, frozen_now):
    settings.REMINDERS_SMS_TRANSPORT = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "token"
    settings.TWILIO_FROM_NUMBER = "+17135550100"
    twilio = FakeTwilio()
    monkeypatch.setattr(requests.Session, "send", twilio.send)
    subscription = pending(Channel.SMS, PHONE)
    services.send_confirmation(subscription.pk)
    assert len(twilio.created) == 1
    transport_for(Channel.SMS).lookup(Message(to=PHONE, sms="x"), since=timezone.now())
    assert_private(everything_written(), PHONE)


def test_a_reminder_sent_through_the_engine_logs_no_contact(
    settings, everything_written, frozen_now
):
    settings.REMINDERS_SMS_TRANSPORT = "console"
    settings.MAILERS = {"default": {"BACKEND": "reminders.notify.console.ConsoleEmailBackend"}}
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    SubscriptionFactory(meeting=meeting, contact=PHONE)
    SubscriptionFactory(meeting=meeting, channel=Channel.EMAIL, contact=EMAIL)
    services.plan_meeting(meeting)
    frozen_now.move_to(meeting.starts_at - timedelta(hours=23))
    services.dispatch(in_process=True)
    written = everything_written()
    assert "SMS reminder_24h" in written and "Subject:" in written
    assert PHONE not in written and EMAIL not in written and "0134" not in written
    assert not mail.outbox  # printed, not sent
