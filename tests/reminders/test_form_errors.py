"""A form with a mistake comes back at the form, says what to fix, and keeps what was typed."""

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
SUMMARY = {"es": "Por favor corrija esto", "en": "Please correct this"}
LETTERS = {"es": "solo con números", "en": "digits only"}
SENT_TO = {
    "es": 'al <bdi dir="ltr">•••-•••-0134</bdi>',
    "en": 'to <bdi dir="ltr">•••-•••-0134</bdi>',
}


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def ask(client, meeting, language, **fields):
    data = {"channel": "sms", "language": language, "scope": "one", "consent": "on"}
    return client.post(url(language, "reminders:subscribe", slug=meeting.slug), {**data, **fields})


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_mistake_comes_back_at_the_form_with_a_summary_and_what_was_typed(
    client, frozen_now, language
):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    response = ask(client, meeting, language, phone="1-800-FLOWERS", consent="")
    assert response.status_code == 400
    page = response.content.decode()
    # The form posts to an address ending in #remind-errors: the answer opens scrolled to,
    # and focused on, the summary.
    assert re.search(r'<form method="post" action="[^"]+#remind-errors"', page)
    assert 'id="remind"' in page
    summary = re.search(
        r'<div class="error-summary" id="remind-errors"[^>]*>(.*?)</div>', page, re.S
    )
    assert summary and 'role="alert"' in page and 'tabindex="-1"' in page
    assert SUMMARY[language] in summary.group(1)
    assert LETTERS[language] in summary.group(1)
    assert 'href="#id_phone"' in summary.group(1)
    assert 'href="#id_consent"' in summary.group(1)
    assert 'value="1-800-FLOWERS"' in page  # what was typed is kept
    assert 'aria-invalid="true"' in page
    assert "form-errors.js" in page
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_code_page_says_where_the_code_went_and_offers_to_change_it(
    client, frozen_now, committed, sms_outbox, language
):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    with committed():
        asked = ask(client, meeting, language, phone="713 555 0134")
    page = client.get(asked["Location"]).content.decode()
    assert SENT_TO[language] in page
    assert "713" not in page
    change = url(language, "reminders:change_number")
    assert f'action="{change}"' in page
    back = client.post(change)
    with translation.override(language):
        assert back["Location"] == meeting.get_absolute_url() + "#remind"
    assert not Subscription.objects.exists()  # the wrong number is forgotten at once
    assert client.get(asked["Location"]).status_code == 404  # nothing waits for a code


def test_changing_the_number_never_deletes_a_confirmed_subscription(
    client, frozen_now, committed, sms_outbox
):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    with committed():
        asked = ask(client, meeting, "es", phone="713 555 0134")
    code = re.search(r"\b(\d{6})\b", sms_outbox()[-1]["body"]).group(1)
    other = Client()
    other.cookies = client.cookies
    with committed():
        client.post(asked["Location"], {"code": code})
    other.post(url("es", "reminders:change_number"))
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_check_your_email_page_names_the_masked_address(client, frozen_now, language):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    asked = ask(client, meeting, language, channel="email", email="juana@example.org")
    page = client.get(asked["Location"]).content.decode()
    assert '<bdi dir="ltr">j•••@example.org</bdi>' in page
    assert "juana" not in page


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_fails_says_so_and_keeps_what_was_typed(client, frozen_now, monkeypatch):
    """The broker refuses the task (Redis died between the limit check and the queueing)."""
    from kombu.exceptions import OperationalError

    from reminders import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_confirmation, "delay", broker_down)
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    response = ask(client, meeting, "es", phone="713 555 0134")
    assert response.status_code == 503
    page = response.content.decode()
    assert "no podemos enviar códigos" in page
    assert 'value="713 555 0134"' in page


WRONG_CHANNEL = {
    "es": ("Escribió un correo electrónico, pero eligió mensaje de texto", "Escribió un número"),
    "en": ("You wrote an email address but chose text message", "You wrote a phone number"),
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_email_typed_with_text_message_chosen_is_pointed_out(client, frozen_now, language):
    """The resident's audit: with "text message" still chosen (the default), a resident typed
    only an email address and was told to enter a phone number, as if the email were gone."""
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    response = ask(client, meeting, language, phone="", email="maria@gmail.com")
    assert response.status_code == 400
    page = response.content.decode()
    assert WRONG_CHANNEL[language][0] in page
    assert 'value="maria@gmail.com"' in page  # kept
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_phone_typed_with_email_chosen_is_pointed_out(client, frozen_now, language):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    response = ask(client, meeting, language, channel="email", phone="214 555 0134", email="")
    assert response.status_code == 400
    assert WRONG_CHANNEL[language][1] in response.content.decode()
    assert not Subscription.objects.exists()
