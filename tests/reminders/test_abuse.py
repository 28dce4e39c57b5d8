"""The "remind me" form cannot be used to flood a phone, guess codes, or learn who signed up."""

import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reminders.models import Subscription
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def ask(client, meeting, phone: str, address: str = "203.0.113.5", language="es", **fields):
    data = {"channel": "sms", "language": language, "scope": "meeting", "consent": "on"}
    return client.post(
        url(language, "reminders:subscribe", slug=meeting.slug),
        {**data, "phone": phone, **fields},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(starts_at=WEDNESDAY)


def test_sixth_request_from_one_address_in_an_hour_is_refused(
    client, meeting, committed, sms_outbox
):
    with committed():
        answers = [ask(Client(), meeting, f"713 555 01{n:02d}").status_code for n in range(6)]
    assert answers == [302] * 5 + [429]
    assert Subscription.objects.count() == 5
    assert len(sms_outbox()) == 5


def test_a_phone_cannot_be_flooded_from_many_addresses(client, meeting, committed, sms_outbox):
    with committed():
        answers = [
            ask(Client(), meeting, "713 555 0150", address=f"198.51.100.{n}").status_code
            for n in range(7)
        ]
    assert answers == [302] * 5 + [429] * 2
    assert len(sms_outbox()) == 5  # five codes at most, then nothing more this hour


@pytest.mark.parametrize("language", ["es", "en"])
def test_limited_answer_is_the_same_whether_the_contact_is_known(
    client, meeting, committed, sms_outbox, language
):
    with committed():
        ask(Client(), meeting, "713 555 0160", address="198.51.100.200")  # known from now on
        for n in range(5):
            ask(Client(), meeting, f"713 555 01{70 + n}", language=language)
        known = ask(Client(), meeting, "713 555 0160", language=language)
        unknown = ask(Client(), meeting, "713 555 0199", language=language)
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    page = known.content.decode()
    assert ("Demasiados intentos" if language == "es" else "Too many tries") in page
    assert "0160" not in page


def test_a_robot_filling_the_hidden_field_gets_nothing(client, meeting, committed, sms_outbox):
    page = client.get(url("es", "meetings:detail", slug=meeting.slug)).content.decode()
    assert re.search(r'<div hidden>.*?name="website"', page, re.S)
    with committed():
        response = ask(client, meeting, "713 555 0180", website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == url("es", "reminders:enter_code")
    assert not Subscription.objects.exists()
    assert sms_outbox() == []


def test_codes_cannot_be_guessed_at_speed(client, meeting, committed, sms_outbox):
    with committed():
        asked = ask(client, meeting, "713 555 0190")
    answers = [client.post(asked["Location"], {"code": "000000"}).status_code for _ in range(11)]
    assert answers[-1] == 429
    assert 429 not in answers[:10]


def test_new_codes_count_as_asking_again(client, meeting, committed, sms_outbox):
    with committed():
        asked = ask(client, meeting, "713 555 0191")
        answers = [
            client.post(asked["Location"], {"resend": "1"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
            for n in range(5)
        ]
    assert answers == [200] * 4 + [429]
    assert len(sms_outbox()) == 5
