"""A resident asks for reminders on a meeting page, confirms, is reminded, and stops."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reminders.enums import DeliveryStatus, SubscriptionStatus
from reminders.models import Delivery, Subscription
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
WORDS = {
    "es": {
        "code_page": "Escriba el código",
        # The day-before text says "Reunión:" to leave room for "¿Piensa venir? Responda SÍ".
        "reminder": "reunión",
        "stopped": "Ya no recibirá recordatorios",
    },
    "en": {"code_page": "Enter the code", "reminder": "community meeting", "stopped": "stopped"},
}


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def ask(client, meeting, language: str, **fields) -> object:
    data = {"channel": "sms", "language": language, "scope": "one", "consent": "on"}
    return client.post(url(language, "reminders:subscribe", slug=meeting.slug), {**data, **fields})


def run_dispatcher_at(traveller, moment: datetime) -> None:
    traveller.move_to(moment)
    call_command("send_due_reminders", verbosity=0)


@pytest.mark.parametrize("language", ["es", "en"])
def test_sms_resident_confirms_with_a_code_and_is_reminded_in_their_language(
    client, frozen_now, sms_outbox, committed, language
):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    page = client.get(url(language, "meetings:detail", slug=meeting.slug)).content.decode()
    assert 'name="consent"' in page and "checked" not in page.split('name="consent"')[1][:40]

    with committed():
        response = ask(client, meeting, language, phone="(713) 555-0134")
    assert response["Location"] == url(language, "reminders:enter_code")
    assert "713" not in response["Location"]
    (code_sms,) = sms_outbox()
    assert code_sms["to"] == "+17135550134"
    code = re.search(r"\b(\d{6})\b", code_sms["body"]).group(1)
    assert WORDS[language]["code_page"] in client.get(response["Location"]).content.decode()

    with committed():
        confirmed = client.post(response["Location"], {"code": code})
    assert confirmed["Location"] == url(language, "reminders:confirmed")
    welcome = sms_outbox()[-1]["body"]
    assert ("ALTO" if language == "es" else "STOP") in welcome
    assert ("hasta 3 " if language == "es" else "up to 3 ") in welcome

    run_dispatcher_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23))
    reminder = sms_outbox()[-1]
    assert reminder["tag"].startswith("reminder_24h")
    assert WORDS[language]["reminder"] in reminder["body"].lower()
    assert f"https://meetings.example.org/{language}/m/{meeting.pk}" in reminder["body"]
    assert ("ALTO" if language == "es" else "STOP") in reminder["body"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_email_resident_confirms_by_link_is_reminded_and_stops_with_one_click(
    client, frozen_now, committed, language
):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    with committed():
        response = ask(client, meeting, language, channel="email", email=" Maria@Example.org ")
    assert response["Location"] == url(language, "reminders:email_sent")
    (confirmation,) = mail.outbox
    assert confirmation.to == ["maria@example.org"]
    link = re.search(r"https://meetings\.example\.org(\S+)", confirmation.body).group(1)
    assert link.startswith(f"/{language}/")

    # Opening the link (or a mail scanner opening it) confirms nothing; the button does.
    assert client.get(link).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING
    assert client.post(link)["Location"] == url(language, "reminders:confirmed")
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED

    run_dispatcher_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=23))
    reminder = mail.outbox[-1]
    assert [kind for _body, kind in reminder.alternatives] == ["text/html"]
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = reminder.extra_headers["List-Unsubscribe"].strip("<>")
    assert "maria" not in unsubscribe.lower()
    path = unsubscribe.removeprefix("https://meetings.example.org")

    mail_client = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no CSRF token
    assert mail_client.get(path).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED
    stopped = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200
    assert WORDS[language]["stopped"] in stopped.content.decode()
    assert Subscription.objects.get().status == SubscriptionStatus.STOPPED

    sent_before = len(mail.outbox)
    run_dispatcher_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=1, minutes=59))
    assert len(mail.outbox) == sent_before
    assert Delivery.objects.get(kind="reminder_2h").status == DeliveryStatus.SKIPPED


def test_nothing_but_the_code_is_sent_until_confirmed(client, frozen_now, sms_outbox, committed):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    with committed():
        ask(client, meeting, "es", phone="7135550134")
    run_dispatcher_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=1))
    assert [m["tag"].split("-")[0] for m in sms_outbox()] == ["confirm"]
    assert not Delivery.objects.exists()


def test_asking_twice_keeps_one_subscription_and_answers_the_same(
    client, frozen_now, sms_outbox, committed
):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    with committed():
        first = ask(client, meeting, "es", phone="713-555-0134")
    code = re.search(r"\d{6}", sms_outbox()[-1]["body"]).group(0)
    with committed():
        client.post(first["Location"], {"code": code})
    stranger = Client()
    with committed():
        known = ask(stranger, meeting, "es", phone="+1 713 555 0134")
        unknown = ask(Client(), meeting, "es", phone="+1 713 555 0199")
    assert Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED).count() == 1
    assert Subscription.objects.count() == 2
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = stranger.get(known["Location"]).content.decode()
    # The code page names only the last four digits of the number this visitor typed (issue
    # 10: "we sent a code to •••-•••-0134"), the same whether or not it was known.
    assert "•••-•••-0134" in page_known
    assert "713 555 0134" not in page_known and "7135550134" not in page_known


@pytest.mark.parametrize(
    ("language", "fields", "error"),
    [
        ("es", {"phone": "12"}, "Escriba un número de teléfono válido"),
        ("en", {"phone": "12"}, "Enter a valid phone number"),
        ("es", {"channel": "email", "email": "maria@"}, "Escriba un correo electrónico válido"),
        ("en", {"phone": "7135550134", "consent": ""}, "Check the box to agree"),
    ],
)
def test_bad_input_redisplays_the_page_with_a_translated_error_and_the_values(
    client, frozen_now, language, fields, error
):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    response = ask(client, meeting, language, **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    typed = fields.get("phone") or fields.get("email")
    assert f'value="{typed}"' in html
    assert meeting.venue.name in html
    assert not Subscription.objects.exists()


def test_an_sms_code_expires_after_15_minutes_and_locks_after_5_wrong_tries(
    client, frozen_now, sms_outbox, committed
):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    with committed():
        page = ask(client, meeting, "en", phone="7135550134")["Location"]
    code = re.search(r"\d{6}", sms_outbox()[-1]["body"]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert "not right" in client.post(page, {"code": wrong}).content.decode()
    assert "Too many wrong tries" in client.post(page, {"code": wrong}).content.decode()
    assert "Too many wrong tries" in client.post(page, {"code": code}).content.decode()

    with committed():
        client.post(page, {"resend": "1"})
    fresh = re.search(r"\d{6}", sms_outbox()[-1]["body"]).group(0)
    frozen_now.shift(timedelta(minutes=16))
    assert "expired" in client.post(page, {"code": fresh}).content.decode()
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_unconfirmed_requests_are_deleted_after_a_day(client, frozen_now, committed):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    with committed():
        ask(client, meeting, "es", phone="7135550134")
    frozen_now.shift(timedelta(hours=25))
    call_command("send_due_reminders", verbosity=0)  # the hourly clean-up runs there too
    assert not Subscription.objects.exists()


def test_all_upcoming_meetings_scope_reminds_of_each(client, frozen_now, sms_outbox, committed):
    first = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    second = MeetingFactory(starts_at=WEDNESDAY_EVENING + timedelta(days=3))
    with committed():
        page = ask(client, first, "es", phone="7135550134", scope="all")["Location"]
    code = re.search(r"\d{6}", sms_outbox()[-1]["body"]).group(0)
    with committed():
        client.post(page, {"code": code})
    assert set(Delivery.objects.values_list("meeting", flat=True)) == {first.pk, second.pk}
