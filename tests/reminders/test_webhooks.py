"""A resident texts back ALTO, START or AYUDA, and Twilio reports on what we sent."""

from datetime import timedelta
from uuid import uuid4
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from twilio.request_validator import RequestValidator

from reminders import crypto, services
from reminders.enums import DeliveryStatus, Kind, SubscriptionStatus
from reminders.models import Delivery, Suppression
from tests.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

PHONE = "+17135550199"
TOKEN = "test-twilio-auth-token"


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


def signed_post(client, path: str, fields: dict, *, token: str = TOKEN, signed_fields=None):
    url = "https://meetings.example.org" + path
    signature = RequestValidator(token).compute_signature(url, signed_fields or fields)
    return client.post(path, fields, HTTP_X_TWILIO_SIGNATURE=signature)


def text_us(client, body: str, sender: str = PHONE, sid: str = ""):
    fields = {"From": sender, "To": "+17135550100", "Body": body}
    fields["MessageSid"] = sid or f"SM{uuid4().hex}"  # Twilio names every message it passes on
    return signed_post(client, "/twilio/sms", fields)


def reply_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own reply)
    assert root.tag == "Response"
    return " ".join(message.text or "" for message in root.iter("Message"))


def subscriber(language="es", **kwargs):
    subscription = SubscriptionFactory(contact=PHONE, language=language, **kwargs)
    services.plan_for_subscription(subscription)
    return subscription


def test_unsigned_stop_is_refused_and_changes_nothing(client, frozen_now):
    subscription = subscriber()
    response = client.post("/twilio/sms", {"From": PHONE, "Body": "STOP"})
    assert response.status_code == 403
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert not Suppression.objects.exists()


def test_wrongly_signed_stop_is_refused_and_changes_nothing(client, frozen_now):
    subscription = subscriber()
    forged = signed_post(client, "/twilio/sms", {"From": PHONE, "Body": "STOP"}, token="guess")
    tampered = signed_post(
        client,
        "/twilio/sms",
        {"From": PHONE, "Body": "STOP"},
        signed_fields={"From": "+17135550000", "Body": "STOP"},
    )
    assert forged.status_code == tampered.status_code == 403
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert not Suppression.objects.exists()


def test_stop_in_spanish_ends_every_reminder(client, frozen_now, sms_outbox):
    one_meeting = subscriber("es")
    every_meeting = SubscriptionFactory(contact=PHONE, language="es", meeting=None)
    services.plan_for_subscription(every_meeting)
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() > 2

    answer = reply_of(text_us(client, "¡Alto!"))

    assert "No le enviaremos más mensajes" in answer
    for subscription in (one_meeting, every_meeting):
        subscription.refresh_from_db()
        assert subscription.status == SubscriptionStatus.STOPPED
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    assert Suppression.objects.filter(contact_digest=crypto.digest(PHONE)).exists()
    # Once confirmed, then silence.
    assert reply_of(text_us(client, "ALTO")) == ""
    # And when the reminders would have been due, nothing goes out.
    frozen_now.move_to(one_meeting.meeting.starts_at - timedelta(hours=1))
    call_command("send_due_reminders")
    assert sms_outbox() == []


def test_stop_replies_in_the_subscribers_language_whatever_the_word(client, frozen_now):
    subscriber("en")
    assert "You will get no more texts" in reply_of(text_us(client, "alto"))


def test_stop_from_an_unknown_number_replies_in_the_keywords_language(client, frozen_now):
    assert "No le enviaremos" in reply_of(text_us(client, "BAJA", sender="+17135550111"))
    assert "You will get no more texts" in reply_of(text_us(client, "quit", sender="+17135550112"))
    assert Suppression.objects.count() == 2


def test_si_brings_the_reminders_back(client, frozen_now, sms_outbox):
    subscription = subscriber("es")
    text_us(client, "ALTO")

    answer = reply_of(text_us(client, "Sí"))

    assert "Puede volver a recibir" in answer
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert not Suppression.objects.exists()
    frozen_now.move_to(subscription.meeting.starts_at - timedelta(hours=1, minutes=59))
    call_command("send_due_reminders")
    sent = [message for message in sms_outbox() if message["to"] == PHONE]
    assert [m["tag"].split("-d")[0] for m in sent] == [Kind.REMINDER_2H]


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        ("AYUDA", "es", "Responda ALTO para no recibir más."),
        ("help", "en", "Reply STOP to opt out."),
        ("info", "es", "Responda ALTO para no recibir más."),
    ],
)
def test_help_says_who_we_are_and_how_to_stop(client, frozen_now, body, language, expected):
    subscriber(language)
    answer = reply_of(text_us(client, body))
    assert expected in answer
    assert "meetings.example.org" in answer
    assert reply_of(text_us(client, body)) == answer  # HELP is answered every time


def test_anything_else_gets_one_bilingual_help_a_day(client, frozen_now):
    subscriber("es")
    first = reply_of(text_us(client, "¿A qué hora es?"))
    # In her language, with where to get help: this is a police department's number.
    assert "Emergencias: 911" in first and "214-555-0142" in first
    assert "Emergencies: 911" not in first
    assert reply_of(text_us(client, "Gracias")) == ""
    stranger = reply_of(text_us(client, "hola", sender="+17135550123"))
    assert "Emergencias: 911" in stranger and "Emergencies: 911" in stranger  # unknown: both


def test_inbound_texts_are_logged_without_the_number(client, frozen_now, caplog):
    subscriber("es")
    with caplog.at_level("DEBUG"):
        text_us(client, "ALTO")
        text_us(client, "hola")
    assert caplog.records
    assert not [r for r in caplog.records if "5550199" in r.getMessage()]


def sent_delivery(provider_id="SM0123456789abcdef"):
    subscription = subscriber("es")
    delivery = Delivery.objects.filter(subscription=subscription).first()
    delivery.status, delivery.provider_id = DeliveryStatus.SENT, provider_id
    delivery.save()
    return delivery


def status_report(client, status: str, error: str = "", sid="SM0123456789abcdef"):
    fields = {"MessageSid": sid, "MessageStatus": status, "To": PHONE}
    if error:
        fields["ErrorCode"] = error
    return signed_post(client, "/twilio/status", fields)


def test_carrier_failure_marks_the_delivery_failed(client, frozen_now):
    delivery = sent_delivery()
    assert status_report(client, "undelivered", "30007").status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "Carrier: undelivered (error 30007)."
    assert not Suppression.objects.exists()


def test_carrier_opt_out_21610_counts_as_stop(client, frozen_now):
    delivery = sent_delivery()
    status_report(client, "failed", "21610")
    delivery.refresh_from_db()
    delivery.subscription.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.subscription.status == SubscriptionStatus.STOPPED
    assert Suppression.objects.get().reason == "carrier"


def test_delivered_report_keeps_the_delivery_sent(client, frozen_now):
    delivery = sent_delivery()
    status_report(client, "delivered")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_unsigned_status_report_changes_nothing(client, frozen_now):
    delivery = sent_delivery()
    response = client.post(
        "/twilio/status", {"MessageSid": delivery.provider_id, "MessageStatus": "failed"}
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_webhooks_take_no_language_prefix_and_no_get(client):
    assert client.get("/twilio/sms").status_code == 405
    assert client.post("/es/twilio/sms", {}).status_code == 404


# --- A captured, validly signed request replayed later (issue 10) --------------------------


def test_a_replayed_start_after_a_stop_does_not_resubscribe(client, frozen_now):
    """Twilio's signature carries no time: the same signed START, sent again after the
    resident's STOP, must change nothing."""
    subscriber()
    start_sid = "SM" + "a" * 32
    text_us(client, "STOP")
    text_us(client, "START", sid=start_sid)
    text_us(client, "ALTO")
    assert Suppression.objects.exists()
    replayed = text_us(client, "START", sid=start_sid)
    assert reply_of(replayed) == ""  # no answer, no action
    assert Suppression.objects.exists()  # still stopped


def test_each_inbound_message_is_acted_on_once(client, frozen_now):
    subscriber()
    sid = "SM" + "b" * 32
    first = text_us(client, "STOP", sid=sid)
    Suppression.objects.all().delete()  # as if START had come in between
    again = text_us(client, "STOP", sid=sid)
    assert reply_of(first) != ""
    assert reply_of(again) == ""
    assert not Suppression.objects.exists()


def test_an_inbound_text_without_a_message_id_changes_nothing(client, frozen_now):
    subscription = subscriber()
    fields = {"From": PHONE, "To": "+17135550100", "Body": "STOP"}
    assert reply_of(signed_post(client, "/twilio/sms", fields)) == ""
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_message_ids_are_kept_only_as_long_as_needed(client, frozen_now, settings):
    from reminders.models import InboundMessage

    settings.INBOUND_SMS_REMEMBER_DAYS = 30
    text_us(client, "HELP")
    frozen_now.shift(timedelta(days=31))
    text_us(client, "HELP")
    assert InboundMessage.objects.count() == 1
    assert "SM" not in str(InboundMessage.objects.values_list("sid_digest", flat=True)[0])[:2]


def test_a_replayed_carrier_opt_out_does_not_stop_a_number_that_started_again(client, frozen_now):
    """A status report is acted on once too: replayed after the resident's START, the old
    21610 must not stop the number again."""
    sent_delivery()
    status_report(client, "failed", "21610")
    text_us(client, "START")
    assert not Suppression.objects.exists()
    assert status_report(client, "failed", "21610").status_code == 204
    assert not Suppression.objects.exists()
