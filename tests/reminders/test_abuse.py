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


def test_a_full_church_hall_on_one_wifi_all_get_codes(meeting, committed, sms_outbox):
    with committed():
        answers = [ask(Client(), meeting, f"713 555 01{n:02d}").status_code for n in range(40)]
    assert answers == [302] * 40
    assert len(sms_outbox()) == 40


def test_an_sms_pumping_script_on_one_address_is_stopped_at_its_share(
    meeting, committed, sms_outbox, settings
):
    assert settings.REMINDERS_SENDS_PER_ADDRESS == "60/h"
    with committed():
        answers = [ask(Client(), meeting, f"214 555 {n:04d}").status_code for n in range(80)]
    assert answers == [302] * 60 + [429] * 20
    assert len(sms_outbox()) == 60
    assert settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR > 60  # stopped before the budget


def test_forms_with_mistakes_never_count(meeting, committed, sms_outbox, settings):
    settings.REMINDERS_SENDS_PER_ADDRESS = "2/h"
    with committed():
        typos = [ask(Client(), meeting, f"713 555 01{n:02d}9").status_code for n in range(30)]
        fixed = [ask(Client(), meeting, f"713 555 01{n:02d}").status_code for n in range(3)]
    assert typos == [400] * 30
    assert fixed == [302, 302, 429]
    assert len(sms_outbox()) == 2


def test_a_phone_cannot_be_flooded_from_many_addresses(meeting, committed, sms_outbox):
    with committed():
        answers = [
            ask(Client(), meeting, "713 555 0150", address=f"198.51.100.{n}").status_code
            for n in range(5)
        ]
    assert answers == [302] * 3 + [429] * 2
    assert len(sms_outbox()) == 3  # three codes at most, then nothing more this hour


@pytest.mark.parametrize("language", ["es", "en"])
def test_limited_answer_is_the_same_whether_the_contact_is_known(
    client, meeting, committed, sms_outbox, language, settings
):
    settings.REMINDERS_SENDS_PER_ADDRESS = "5/h"
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


def test_codes_cannot_be_guessed_at_speed(client, meeting, committed, sms_outbox, settings):
    settings.REMINDERS_WRONG_CODES_PER_ADDRESS = "10/h"
    with committed():
        asked = ask(client, meeting, "713 555 0190")
    answers = [client.post(asked["Location"], {"code": "000000"}).status_code for _ in range(11)]
    assert answers[-1] == 429
    assert 429 not in answers[:10]


def test_codes_typed_in_the_wrong_shape_do_not_count(
    client, meeting, committed, sms_outbox, settings
):
    settings.REMINDERS_WRONG_CODES_PER_ADDRESS = "3/h"
    with committed():
        asked = ask(client, meeting, "713 555 0192")
    code_page = asked["Location"]
    typos = [client.post(code_page, {"code": "12"}).status_code for _ in range(10)]
    assert typos == [400] * 10  # a code of the wrong shape is a slip, not a guess
    code = re.search(r"\b(\d{6})\b", sms_outbox()[-1]["body"]).group(1)
    assert client.post(code_page, {"code": code}).status_code == 302


def test_new_codes_count_as_sends(client, meeting, committed, sms_outbox):
    with committed():
        asked = ask(client, meeting, "713 555 0191")
        answers = [
            client.post(asked["Location"], {"resend": "1"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
            for n in range(3)
        ]
    assert answers == [200, 200, 429]
    assert len(sms_outbox()) == 3


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "todos los mensajes de texto"), ("en", "all the text messages we can")],
)
def test_the_hourly_text_budget_offers_email_and_warns_staff(
    meeting, committed, sms_outbox, settings, admin_client, caplog, language, words
):
    settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR = 3
    with committed():
        sent = [
            ask(Client(), meeting, f"713 555 02{n:02d}", address=f"198.51.100.{n}").status_code
            for n in range(3)
        ]
        refused = ask(Client(), meeting, "713 555 0299", address="203.0.113.99", language=language)
        by_email = Client().post(
            url(language, "reminders:subscribe", slug=meeting.slug),
            {
                "channel": "email",
                "email": "ana@example.org",
                "language": language,
                "scope": "one",
                "consent": "on",
            },
            REMOTE_ADDR="203.0.113.99",
        )
    assert sent == [302] * 3
    assert refused.status_code == 503
    page = refused.content.decode()
    assert words in page
    assert 'value="713 555 0299"' in page  # what was typed is kept
    assert by_email.status_code == 302
    assert len(sms_outbox()) == 3
    assert "budget of confirmation texts reached" in caplog.text
    assert "0299" not in caplog.text
    admin = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="sms-budget-warning"' in admin


def test_the_text_budget_starts_again_the_next_hour(
    meeting, committed, sms_outbox, settings, frozen_now
):
    settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR = 1
    with committed():
        first = ask(Client(), meeting, "713 555 0301").status_code
        second = ask(Client(), meeting, "713 555 0302").status_code
        frozen_now.shift(3600)
        third = ask(Client(), meeting, "713 555 0303").status_code
    assert (first, second, third) == (302, 503, 302)


def test_a_new_code_past_the_hourly_budget_is_refused_with_the_reason(
    client, meeting, committed, sms_outbox, settings
):
    settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR = 1
    with committed():
        asked = ask(client, meeting, "713 555 0311")
        again = client.post(asked["Location"], {"resend": "1"})
    assert again.status_code == 503
    assert "todos los mensajes de texto" in again.content.decode()
    assert len(sms_outbox()) == 1
