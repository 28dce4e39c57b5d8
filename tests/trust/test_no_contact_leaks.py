"""A phone number or email never leaks: not into a log line (even at DEBUG), a Celery task's
arguments, or an address, whatever messages are sent and whatever the resident texts back."""

import json
import logging
import re
from datetime import datetime, timedelta

import pytest
import requests
from celery import signals
from django.core import mail
from django.test import Client

from meetings.enums import MeetingStatus
from reminders.models import Delivery
from reminders.notify.base import Message, TransportError
from reminders.notify.twilio import TwilioTransport
from reminders.retention import purge_expired
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory
from tests.trust.residents import (
    SITE,
    TWILIO_TOKEN,
    run_dispatcher_at,
    subscribe_by_email,
    subscribe_by_sms,
    text_us,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
PHONE = "+17135550188"
EMAIL = "rosa.m@example.org"
# Every way the contact could be written down.
TRACES = [
    PHONE,
    "7135550188",
    "713-555-0188",
    "(713) 555-0188",
    "5550188",
    "555-0188",
    EMAIL,
    "rosa.m",
]


class Witness:
    """Everything a contact could leak into: log records, task arguments, addresses."""

    def __init__(self) -> None:
        self.task_arguments: list[str] = []
        self.addresses: list[str] = []

    def on_task(self, sender=None, args=None, kwargs=None, body=None, **_extra) -> None:
        self.task_arguments.append(repr((args, kwargs, body)))

    def visit(self, client: Client, method: str, path: str, data=None, **extra):
        response = getattr(client, method)(path, data or {}, **extra)
        self.addresses += [path, response.get("Location", "")]
        return response


def record_text(record: logging.LogRecord) -> str:
    return " ".join(
        [record.getMessage(), repr(record.args), record.exc_text or "", repr(vars(record))]
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


@pytest.fixture
def witness():
    seen = Witness()
    signals.task_prerun.connect(seen.on_task, weak=False)
    signals.before_task_publish.connect(seen.on_task, weak=False)
    yield seen
    signals.task_prerun.disconnect(seen.on_task)
    signals.before_task_publish.disconnect(seen.on_task)


def test_no_message_of_any_kind_leaks_the_contact(
    client, frozen_now, committed, sms_outbox, witness, caplog, settings
):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    caplog.set_level(logging.DEBUG)
    meeting, next_week = (
        MeetingFactory(starts_at=WEDNESDAY),
        MeetingFactory(starts_at=WEDNESDAY + timedelta(days=7)),
    )
    # Ask and confirm: an SMS subscriber to one meeting, an email subscriber to all of them.
    witness.addresses.append(
        subscribe_by_sms(client, committed, sms_outbox, meeting, "es", "(713) 555-0188")["Location"]
    )
    witness.addresses.append(
        subscribe_by_email(Client(), committed, meeting, "en", EMAIL, scope="all")
    )
    # Reminders, a change of time, a cancellation: every kind of message goes out.
    run_dispatcher_at(frozen_now, WEDNESDAY - timedelta(hours=23))
    with committed():
        meeting.starts_at += timedelta(hours=1)
        meeting.ends_at += timedelta(hours=1)
        meeting.save()
    run_dispatcher_at(frozen_now, meeting.starts_at - timedelta(hours=1, minutes=59))
    with committed():
        next_week.status = MeetingStatus.CANCELLED
        next_week.save()
    run_dispatcher_at(frozen_now, meeting.starts_at - timedelta(hours=1))
    kinds = {m["tag"].split("-")[0] for m in sms_outbox()}
    assert {"confirm", "welcome", "reminder_24h", "reminder_2h", "changed"} <= kinds
    assert any("cancel" in m.subject.lower() for m in mail.outbox)
    # The resident texts back, and Twilio reports on a message.
    for body in ("hola", "AYUDA", "ALTO", "ALTO", "SÍ"):
        witness.addresses.append("/twilio/sms")
        assert text_us(client, PHONE, body).status_code == 200
    # One click in an email, and the nightly purge.
    unsubscribe = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    witness.visit(Client(), "post", unsubscribe.removeprefix(SITE))
    frozen_now.move_to(next_week.ends_at + timedelta(days=8))
    purge_expired()

    sent_text = json.dumps(sms_outbox()) + "".join(
        m.body + str(m.extra_headers) for m in mail.outbox
    )
    witness.addresses += links_in(sent_text)
    assert len(caplog.records) > 10 and witness.task_arguments and len(witness.addresses) > 5
    for trace in TRACES:
        leaks = [r.name for r in caplog.records if trace in record_text(r)]
        assert leaks == [], (trace, leaks)
        assert not [a for a in witness.task_arguments if trace in a], trace
        assert not [a for a in witness.addresses if trace.lower() in a.lower()], trace
    assert Delivery.objects.exists()


class FakeTwilio:
    """Twilio's API at the HTTP level: the transport, its client and its logging are real."""

    def __init__(self, *replies: tuple[int, dict]) -> None:
        self.replies = list(replies)
        self.bodies: list[str] = []

    def send(self, request, **kwargs) -> requests.Response:  # stands in for HTTPAdapter.send
        self.bodies.append(request.body or "")
        status, payload = self.replies.pop(0)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(payload).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response


def test_twilio_sends_and_refusals_leak_no_number(monkeypatch, settings, caplog):
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+17135550100"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    refusal = {
        "code": 21610,
        "message": f"Attempt to send to unsubscribed recipient {PHONE}",
        "more_info": "https://www.twilio.com/docs/errors/21610",
        "status": 400,
    }
    fake = FakeTwilio(
        (201, {"sid": "SM" + "2" * 32, "to": PHONE, "status": "queued"}), (400, refusal)
    )
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", fake.send)
    caplog.set_level(logging.DEBUG)

    transport = TwilioTransport()
    assert transport.send(Message(to=PHONE, sms="Recordatorio")).startswith("SM")
    with pytest.raises(TransportError) as refused:
        transport.send(Message(to=PHONE, sms="Recordatorio"))

    assert refused.value.stop
    # Each send asks Twilio to report back to our signed status webhook.
    assert "StatusCallback=https%3A%2F%2Fmeetings.example.org%2Ftwilio%2Fstatus" in fake.bodies[0]
    assert PHONE not in str(refused.value) and "0188" not in refused.value.message
    assert caplog.records
    for trace in TRACES:
        assert not [r.name for r in caplog.records if trace in record_text(r)], trace
