"""What a resident texting our number really types, from the resident auditor's run: a
worried message that is no keyword, an answer to the offer in her own words, a "sí" from a
number that never signed up, a number we cannot text. Each gets a useful answer."""

import pytest

from reminders.models import Subscription
from tests.factories import MeetingFactory, VenueFactory
from tests.reminders.test_text_to_join import DIGEST_OF, at
from tests.reminders.test_webhooks import PHONE, TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_JOIN_NUMBER = "+12145550100"


@pytest.fixture
def meetings(frozen_now):
    """Two meetings ahead: Wednesday 3 and Thursday 4 February 2027."""
    return [
        MeetingFactory(venue=VenueFactory(name="Iglesia San José"), starts_at=at(2027, 2, 3)),
        MeetingFactory(venue=VenueFactory(name="Centro Bachman"), starts_at=at(2027, 2, 4)),
    ]


def subscriptions():
    return Subscription.objects.filter(contact_digest=DIGEST_OF(PHONE))


def test_a_worried_text_that_is_no_keyword_is_told_to_call_911_in_an_emergency(client, meetings):
    answer = reply_of(text_us(client, "hola necesito ayuda con mi hijo"))

    assert "911" in answer
    assert "214-555-0142" in answer  # a person to talk to
    assert "Nadie lee" in answer  # honest: no one reads this number


@pytest.mark.parametrize(
    ("body", "scope_all"),
    [("uno", False), ("todas las reuniones", True), ("All meetings", True)],
)
def test_an_answer_to_the_offer_in_her_own_words_subscribes(client, meetings, body, scope_all):
    reply_of(text_us(client, "reunion"))
    reply_of(text_us(client, body))

    subscription = subscriptions().get()
    assert (subscription.meeting is None) is scope_all


def test_a_wrong_answer_to_the_offer_repeats_the_choices(client, meetings):
    reply_of(text_us(client, "reunion"))

    answer = reply_of(text_us(client, "2"))

    assert "Responda 1 para recibir recordatorios" in answer
    assert not subscriptions().exists()


def test_si_from_a_number_that_never_signed_up_is_not_told_it_gets_reminders_again(
    client, meetings
):
    answer = reply_of(text_us(client, "si"))

    assert "volver a recibir" not in answer
    assert "Envíe REUNION" in answer or "envíe REUNION" in answer


def test_a_number_we_cannot_text_is_told_what_to_do_instead(client, meetings):
    answer = reply_of(text_us(client, "reunion", sender="+5215512345678"))

    assert "correo" in answer and "214-555-0142" in answer


def test_the_help_reply_names_the_sender_on_every_text(client, meetings):
    response = text_us(client, "AYUDA")

    texts = response.content.decode().split("<Message>")[1:]
    assert len(texts) == 2
    assert all(text.startswith("Policía de Dallas") for text in texts)
