"""Text to join: a resident with no internet texts REUNION to our number, picks 1 or TODAS,
and gets reminders like anyone who signed up on the web. Every request here is signed with
twilio's own RequestValidator (tests/reminders/test_webhooks.py: signed_post)."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from reminders import crypto
from reminders.enums import DeliveryStatus, Kind, SubscriptionStatus
from reminders.models import Delivery, JoinOffer, Subscription, Suppression
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory
from tests.reminders.test_webhooks import PHONE, TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db

DIGEST_OF = crypto.digest

OFFER_ES = (
    "Responda 1 para recibir recordatorios de la próxima reunión, TODAS para todas las "
    "reuniones, o responda ALTO para no recibir más. Puede haber cargos por mensajes y datos."
)
OFFER_EN = (
    "Reply 1 for reminders of the next meeting, ALL for every meeting, or STOP to opt out. "
    "Msg & data rates may apply."
)


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


@pytest.fixture
def meetings(frozen_now):
    """Two meetings ahead (Wednesday 3 and Thursday 4 February 2027) and one already over."""
    MeetingFactory(venue=VenueFactory(name="Old Hall"), starts_at=at(2027, 1, 29))
    first = MeetingFactory(venue=VenueFactory(name="Iglesia San José"), starts_at=at(2027, 2, 3))
    second = MeetingFactory(venue=VenueFactory(name="Centro Bachman"), starts_at=at(2027, 2, 4))
    return first, second


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 18, 30, tzinfo=CHICAGO)


def subscriptions():
    return Subscription.objects.filter(contact_digest=DIGEST_OF(PHONE))


@pytest.mark.parametrize(
    "body", ["REUNION", "reunión", "¡Reunión!", "  Reunion. ", "junta", "JUNTA?", "Reuniones"]
)
def test_maria_texts_reunion_and_is_offered_the_next_two_meetings_in_spanish(
    client, meetings, body
):
    answer = reply_of(text_us(client, body))

    assert answer.startswith("Policía de Dallas: Próximas reuniones: miércoles 3 de febrero")
    assert "Iglesia San José" in answer and "Centro Bachman" in answer
    assert "Old Hall" not in answer
    assert OFFER_ES in answer
    offer = JoinOffer.objects.get()
    assert offer.contact_digest == DIGEST_OF(PHONE)
    assert offer.language == "es"
    assert offer.meeting == meetings[0]
    assert not subscriptions().exists()  # nothing until she answers


@pytest.mark.parametrize("body", ["MEETING", "meetings!", "Meeting.", "¿meeting?"])
def test_john_texts_meeting_and_is_offered_the_meetings_in_english(client, meetings, body):
    answer = reply_of(text_us(client, body))

    assert answer.startswith("Dallas Police: Next meetings: Wednesday, February 3")
    assert OFFER_EN in answer
    assert JoinOffer.objects.get().language == "en"


def test_join_keywords_are_settings(client, meetings, settings):
    settings.SMS_JOIN_KEYWORDS = {"es": ["CITA"], "en": ["JOIN"]}
    assert OFFER_ES in reply_of(text_us(client, "¡cita!"))
    assert "Reunion" not in reply_of(text_us(client, "reunion", sender="+17135550123"))
    assert OFFER_EN in reply_of(text_us(client, "join", sender="+17135550124"))


def test_maria_answers_1_and_gets_reminders_of_the_next_meeting(
    client, meetings, frozen_now, sms_outbox
):
    first, _second = meetings
    text_us(client, "Reunión")

    answer = reply_of(text_us(client, "1"))

    assert "Policía de Dallas: Recibirá hasta 3 recordatorios" in answer  # the welcome text
    subscription = subscriptions().get()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert subscription.meeting == first
    assert subscription.language == "es"
    assert subscription.consent_page == "sms:reunion"
    assert subscription.consent_version.startswith("sms-join:")
    assert subscription.consent_at == subscription.confirmed_at
    assert subscription.welcomed
    assert not JoinOffer.objects.exists()
    planned = Delivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING)
    # The meeting is less than three days away: the plan-your-visit text is already past.
    assert sorted(planned.values_list("kind", flat=True)) == [Kind.REMINDER_24H, Kind.REMINDER_2H]
    assert sms_outbox() == []  # the welcome was the reply; nothing else yet

    frozen_now.move_to(first.starts_at - timedelta(hours=23, minutes=59))
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    sent = [message for message in sms_outbox() if message["to"] == PHONE]
    assert len(sent) == 1
    assert sent[0]["body"].endswith(
        "¿Piensa venir? Responda SÍ. Responda ALTO para no recibir más."
    )


@pytest.mark.parametrize(("keyword", "word"), [("reunion", "TODAS"), ("meeting", "ALL")])
def test_todas_or_all_subscribes_to_every_meeting(client, meetings, keyword, word):
    text_us(client, keyword)

    answer = reply_of(text_us(client, f" {word.lower()}! "))

    subscription = subscriptions().get()
    assert subscription.meeting is None
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert subscription.consent_page == f"sms:{keyword}"
    assert ("Recibirá" if word == "TODAS" else "you will get") in answer
    # Both meetings ahead are planned, the one over is not.
    planned = Delivery.objects.filter(subscription=subscription).values_list("meeting", flat=True)
    assert set(planned) == {meeting.pk for meeting in meetings}


def test_the_consent_version_changes_with_the_offers_words(client, meetings):
    text_us(client, "reunion")
    text_us(client, "1")
    text_us(client, "meeting", sender="+17135550123")
    text_us(client, "1", sender="+17135550123")
    versions = set(Subscription.objects.values_list("consent_version", flat=True))
    assert len(versions) == 2  # the Spanish and the English offer are different words


def test_a_number_that_texted_stop_is_not_subscribed_by_a_keyword_until_start(client, meetings):
    text_us(client, "ALTO")

    answer = reply_of(text_us(client, "Reunión"))

    assert "Usted pidió que no le enviáramos mensajes" in answer
    assert "responda START" in answer  # the word the carrier also takes back
    assert not JoinOffer.objects.exists()
    reply_of(text_us(client, "1"))
    reply_of(text_us(client, "TODAS"))
    assert not subscriptions().exists()

    # SÍ from a stopped number opts back in, as carriers expect; then REUNION works.
    assert "Puede volver a recibir" in reply_of(text_us(client, "SÍ"))
    assert not Suppression.objects.exists()
    assert OFFER_ES in reply_of(text_us(client, "Reunión"))
    reply_of(text_us(client, "1"))
    assert subscriptions().get().status == SubscriptionStatus.CONFIRMED


def test_stop_after_the_offer_withdraws_it(client, meetings):
    text_us(client, "reunion")
    text_us(client, "STOP")
    assert not JoinOffer.objects.exists()
    text_us(client, "1")
    assert not subscriptions().exists()


def test_1_without_an_offer_gets_the_help_text_once_a_day(client, meetings):
    first = reply_of(text_us(client, "1"))
    assert "Emergencias: 911" in first and "Emergencies: 911" in first
    assert reply_of(text_us(client, "TODAS")) == ""
    assert not subscriptions().exists()


def test_garbage_after_the_offer_gets_help_once_and_the_offer_still_waits(client, meetings):
    text_us(client, "reunion")
    assert OFFER_ES in reply_of(text_us(client, "¿dónde queda?"))  # the choices, once more
    assert "911" in reply_of(text_us(client, "hola"))  # then the help text, once a day
    assert reply_of(text_us(client, "hola")) == ""
    reply_of(text_us(client, "1"))
    assert subscriptions().get().meeting == meetings[0]


def test_an_offer_expires(client, meetings, frozen_now, settings):
    text_us(client, "reunion")
    frozen_now.shift(timedelta(hours=settings.SMS_JOIN_OFFER_HOURS, seconds=1))
    reply_of(text_us(client, "1"))
    assert not subscriptions().exists()
    text_us(client, "meeting", sender="+17135550123")  # any inbound keyword sweeps old offers
    assert list(JoinOffer.objects.values_list("language", flat=True)) == ["en"]


def test_no_meeting_scheduled_offers_every_meeting(client, frozen_now):
    answer = reply_of(text_us(client, "REUNION"))
    assert answer.startswith("Policía de Dallas: Aún no hay reuniones programadas.")
    assert "TODAS" in answer and "ALTO para no recibir más" in answer
    reply_of(text_us(client, "1"))  # no next meeting to choose: offered again
    assert not subscriptions().exists()
    reply_of(text_us(client, "TODAS"))
    assert subscriptions().get().meeting is None


def test_a_number_from_a_region_we_do_not_text_is_told_so(client, meetings):
    answer = reply_of(text_us(client, "reunion", sender="+525512345678"))
    assert answer == (
        "Policía de Dallas: Solo enviamos mensajes a celulares de EE. UU. Pida recordatorios "
        "por correo electrónico en meetings.example.org o llame al 214-555-0142."
    )
    assert not JoinOffer.objects.exists()


def test_an_existing_subscriber_answering_again_keeps_one_subscription(client, meetings):
    for _ in range(2):
        text_us(client, "reunion")
        text_us(client, "1")
    assert subscriptions().count() == 1


def test_no_number_is_stored_in_clear(client, meetings):
    text_us(client, "reunion")
    offer = JoinOffer.objects.get()
    stored = " ".join(str(getattr(offer, field.attname)) for field in JoinOffer._meta.fields)
    assert "5550199" not in stored
    text_us(client, "1")
    assert "5550199" not in subscriptions().get().contact_encrypted


def test_the_daily_purge_deletes_offers_never_answered(client, meetings, frozen_now, settings):
    from reminders import retention

    text_us(client, "reunion")
    retention.purge_expired()
    assert JoinOffer.objects.count() == 1
    frozen_now.shift(timedelta(hours=settings.SMS_JOIN_OFFER_HOURS))
    retention.purge_expired()
    assert not JoinOffer.objects.exists()


def test_an_answer_from_a_region_no_longer_served_subscribes_nothing(client, meetings, settings):
    text_us(client, "reunion")
    settings.SMS_REGIONS = ["MX"]
    assert "Solo enviamos mensajes a celulares de EE. UU." in reply_of(text_us(client, "1"))
    assert not subscriptions().exists()
