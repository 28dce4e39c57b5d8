"""The privacy page's promises, each proved by tests named for it.

1. Your phone number or email is used only to send you the reminders you asked for.
2. It is stored encrypted, no staff screen shows it in full, and it is never exported or shared.
3. It is deleted automatically a few days after the last meeting you asked about; you can stop
   any time (reply ALTO/STOP, or one click).
4. No tracking: no analytics, no third-party scripts, fonts or maps on our pages.
"""

from datetime import datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from reminders import crypto
from reminders.enums import SubscriptionStatus
from reminders.models import Delivery, Subscription
from reminders.retention import purge_expired
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory
from tests.trust.html_audit import audit_html
from tests.trust.residents import (
    SITE,
    TWILIO_TOKEN,
    ask,
    database_text,
    run_dispatcher_at,
    subscribe_by_email,
    subscribe_by_sms,
    text_us,
    url,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
PHONE_TYPED, PHONE = "(713) 555-0199", "+17135550199"
EMAIL = "maria.lopez@example.org"
PROMISES = {
    "es": [
        "Su número de teléfono o correo electrónico se usa solo para enviarle los recordatorios",
        "Se guarda cifrado",
        "Se borra automáticamente",
        "Nadie le sigue el rastro",
    ],
    "en": [
        "Your phone number or email is used only to send you the reminders you asked for.",
        "It is stored encrypted, no staff screen shows it in full",
        "It is deleted automatically a few days after the last meeting you asked about.",
        "No tracking: no analytics, no third-party scripts, fonts or maps on our pages.",
    ],
}


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN


@pytest.fixture
def meetings(frozen_now):
    """The meeting a resident asks about, and the one after it, a week later."""
    return MeetingFactory(starts_at=WEDNESDAY), MeetingFactory(
        starts_at=WEDNESDAY + timedelta(days=7)
    )


def run_through(frozen_now, meetings) -> None:
    """Run the dispatcher at every moment a reminder of these meetings could be due."""
    for meeting in meetings:
        for before in (timedelta(hours=23), timedelta(hours=1, minutes=59)):
            run_dispatcher_at(frozen_now, meeting.starts_at - before)


def what_was_sent(sms_outbox) -> list[tuple[str, str, int | None]]:
    """(recipient, kind, meeting id) for every SMS, oldest first."""
    sent = []
    for message in sms_outbox():
        kind, _sep, ref = message["tag"].partition("-")
        delivery = Delivery.objects.filter(pk=ref[1:]).first() if ref.startswith("d") else None
        sent.append((message["to"], kind, delivery.meeting_id if delivery else None))
    return sent


# --- The page -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
def test_privacy_page_states_every_promise_and_the_retention_in_force(client, language, settings):
    settings.REMINDERS_RETENTION_DAYS = 5
    html = client.get(url(language, "meetings:privacy")).content.decode()
    for number, promise in enumerate(PROMISES[language], start=1):
        assert f'id="promise-{number}"' in html
        assert promise in html
    # The period in force, not a figure written once by hand; and the 24 hours.
    assert ("5 días después" if language == "es" else "5 days after") in html
    assert ("a las 24 horas" if language == "es" else "after 24 hours") in html


@pytest.mark.parametrize("language", ["es", "en"])
def test_privacy_page_is_linked_from_every_page_and_from_the_form(client, frozen_now, language):
    meeting = MeetingFactory()
    privacy = url(language, "meetings:privacy")
    for page in (
        url(language, "meetings:upcoming"),
        url(language, "meetings:detail", slug=meeting.slug),
    ):
        assert f'href="{privacy}"' in client.get(page).content.decode()
    detail = client.get(url(language, "meetings:detail", slug=meeting.slug)).content.decode()
    form = detail.split('class="remind"', 1)[1].split("</form>")[0]
    assert f'href="{privacy}"' in form


# --- Promise 1 ------------------------------------------------------------------------------


def test_promise_1_contact_used_only_for_requested_reminders(
    client, frozen_now, meetings, committed, sms_outbox
):
    asked_about, other = meetings
    subscribe_by_sms(client, committed, sms_outbox, asked_about, "es", PHONE_TYPED)
    run_through(frozen_now, meetings)
    assert what_was_sent(sms_outbox) == [
        (PHONE, "confirm", None),
        (PHONE, "welcome", None),
        (PHONE, "reminder_24h", asked_about.pk),
        (PHONE, "reminder_2h", asked_about.pk),
    ]


def test_promise_1_email_used_only_for_requested_reminders(client, frozen_now, meetings, committed):
    asked_about, other = meetings
    subscribe_by_email(client, committed, asked_about, "en", EMAIL)
    run_through(frozen_now, meetings)
    assert {tuple(message.to) for message in mail.outbox} == {(EMAIL,)}
    reminders = mail.outbox[1:]
    assert len(reminders) == 2
    assert all(
        asked_about.get_absolute_url() in m.body or f"/m/{asked_about.pk}" in m.body
        for m in reminders
    )
    assert not any(f"/m/{other.pk}" in m.body for m in reminders)


def test_promise_1_nothing_but_the_confirmation_until_confirmed(
    client, frozen_now, meetings, committed, sms_outbox
):
    with committed():
        ask(client, meetings[0], "es", phone=PHONE_TYPED)
    run_through(frozen_now, meetings)
    assert [kind for _to, kind, _meeting in what_was_sent(sms_outbox)] == ["confirm"]


def test_promise_1_no_name_and_no_internet_address_is_kept(
    client, frozen_now, meetings, committed, sms_outbox
):
    subscribe_by_sms(client, committed, sms_outbox, meetings[0], "es", PHONE_TYPED)
    names = {field.name for field in Subscription._meta.get_fields()}
    assert not names & {"name", "first_name", "last_name", "ip", "ip_address", "user_agent"}
    assert "198.51.100.77" not in database_text()  # the address the form came from


# --- Promise 2 ------------------------------------------------------------------------------


def test_promise_2_contact_stored_only_encrypted(
    client, frozen_now, meetings, committed, sms_outbox
):
    subscribe_by_sms(client, committed, sms_outbox, meetings[0], "es", PHONE_TYPED)
    subscribe_by_email(Client(), committed, meetings[0], "en", EMAIL)
    run_through(frozen_now, meetings)
    stored = database_text()  # every table: subscriptions, deliveries, sessions, cache...
    for plain in (PHONE, "7135550199", "555-0199", EMAIL, "maria.lopez"):
        assert plain not in stored
    sms, email = Subscription.objects.order_by("channel")
    assert {sms.contact, email.contact} == {PHONE, EMAIL}  # only the key opens them


def test_promise_2_no_staff_screen_shows_a_contact_in_full(
    client, frozen_now, meetings, committed, sms_outbox
):
    subscribe_by_sms(client, committed, sms_outbox, meetings[0], "es", PHONE_TYPED)
    subscribe_by_email(Client(), committed, meetings[0], "en", EMAIL)
    run_through(frozen_now, meetings)
    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages.append(f"/{_admin_path()}{info[0]}/{info[1]}/")
        for obj in model_admin.get_queryset(_request()).all()[:5]:
            pages.append(f"/{_admin_path()}{info[0]}/{info[1]}/{obj.pk}/change/")
    seen = ""
    for page in pages:
        response = staff.get(page)
        assert response.status_code == 200, page
        seen += response.content.decode()
    for plain in (PHONE, "7135550199", "555-0199", EMAIL, "maria.lopez"):
        assert plain not in seen
    assert "•••-•••-0199" in seen and "m•••@example.org" in seen


def test_promise_2_contacts_cannot_be_searched_or_exported_by_staff(
    client, frozen_now, meetings, committed, sms_outbox
):
    subscribe_by_sms(client, committed, sms_outbox, meetings[0], "es", PHONE_TYPED)
    model_admin = admin.site._registry[Subscription]
    assert not model_admin.get_search_fields(_request())
    assert not model_admin.get_actions(_request())  # no bulk action, so no export
    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    listing = staff.get(f"/{_admin_path()}reminders/subscription/", {"q": PHONE})
    assert 'name="q"' not in listing.content.decode()  # no search box at all
    for model, other_admin in admin.site._registry.items():
        fields = " ".join(other_admin.get_search_fields(_request()))
        assert "contact" not in fields, model


def test_promise_2_contact_shared_only_with_the_carrier_to_deliver(
    client, frozen_now, meetings, committed, sms_outbox
):
    """Every message that left carried the contact only as its own recipient."""
    subscribe_by_sms(client, committed, sms_outbox, meetings[0], "es", PHONE_TYPED)
    run_through(frozen_now, meetings)
    for message in sms_outbox():
        assert message["to"] == PHONE
        assert "0199" not in message["body"]


# --- Promise 3 ------------------------------------------------------------------------------


def test_promise_3_contact_deleted_days_after_the_last_meeting(
    client, frozen_now, meetings, committed, sms_outbox
):
    asked_about = meetings[0]
    subscribe_by_sms(client, committed, sms_outbox, asked_about, "es", PHONE_TYPED)
    run_through(frozen_now, [asked_about])
    token = Subscription.objects.get().contact_encrypted
    frozen_now.move_to(asked_about.ends_at + timedelta(days=7, minutes=1))
    purge_expired()
    assert not Subscription.objects.exists()
    stored = database_text()
    assert token not in stored
    assert crypto.digest(PHONE) not in stored  # not even its look-up digest
    assert Delivery.objects.filter(meeting=asked_about).count() == 2  # anonymous statistics


def test_promise_3_unconfirmed_request_deleted_after_24_hours(
    client, frozen_now, meetings, committed
):
    with committed():
        ask(client, meetings[0], "es", channel="email", email=EMAIL)
    frozen_now.shift(timedelta(hours=24, minutes=1))
    purge_expired()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(("language", "word"), [("es", "ALTO"), ("en", "STOP"), ("es", "no más")])
def test_promise_3_reply_stop_or_alto_ends_every_reminder(
    client, frozen_now, meetings, committed, sms_outbox, language, word
):
    subscribe_by_sms(client, committed, sms_outbox, meetings[0], language, PHONE_TYPED)
    subscribe_by_sms(Client(), committed, sms_outbox, meetings[1], language, PHONE_TYPED)
    sent_before = len(sms_outbox())
    assert text_us(client, PHONE, word).status_code == 200
    run_through(frozen_now, meetings)
    assert len(sms_outbox()) == sent_before
    assert set(Subscription.objects.values_list("status", flat=True)) == {
        SubscriptionStatus.STOPPED
    }


def test_promise_3_one_click_in_any_email_stops(client, frozen_now, meetings, committed):
    asked_about = meetings[0]
    subscribe_by_email(client, committed, asked_about, "es", EMAIL)
    run_dispatcher_at(frozen_now, asked_about.starts_at - timedelta(hours=23))
    link = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    sent_before = len(mail.outbox)
    Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    run_dispatcher_at(frozen_now, asked_about.starts_at - timedelta(hours=1, minutes=59))
    assert len(mail.outbox) == sent_before
    assert Subscription.objects.get().status == SubscriptionStatus.STOPPED


# --- Promise 4 ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
def test_promise_4_no_tracking_on_any_public_page(client, frozen_now, committed, language):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    pages = [
        url(language, "meetings:upcoming"),
        url(language, "meetings:detail", slug=meeting.slug),
        url(language, "meetings:privacy"),
        url(language, "reminders:email_sent"),
        f"/{language}/no-such-page/",
    ]
    for page in pages:
        response = client.get(page)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        audit = audit_html(response.content.decode())
        assert audit.foreign_sources == [], page
        assert audit.inline_scripts == [], page
        # No cookie but the form's CSRF token: nothing to follow a visitor with.
        assert set(response.cookies) <= {"csrftoken"}, page


@pytest.mark.parametrize("language", ["es", "en"])
def test_promise_4_directions_link_does_not_tell_the_maps_site_what_you_read(
    client, frozen_now, language
):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    response = client.get(url(language, "meetings:detail", slug=meeting.slug))
    assert response["Referrer-Policy"] == "same-origin"  # no referrer to any other site
    html = response.content.decode()
    link = html.split("https://www.google.com/maps", 1)[1].split(">", 1)[0]
    assert "noreferrer" in link


def _admin_path() -> str:
    from django.conf import settings

    return settings.ADMIN_PATH


def _request():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    return request
