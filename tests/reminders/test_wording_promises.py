"""The unsubscribe address says "cancel", not "detain", and links already sent keep working;
the consent text states how many messages a meeting can bring, from the reminder kinds."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reminders import frequency, services
from reminders.enums import REMINDER_KINDS, SubscriptionStatus
from reminders.models import Subscription
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_the_spanish_unsubscribe_address_says_cancel(frozen_now):
    token = services.unsubscribe_token(SubscriptionFactory())
    with translation.override("es"):
        path = reverse("reminders:unsubscribe", kwargs={"token": token})
    assert path.startswith("/es/recordatorios/cancelar/") and "detener" not in path


def test_an_old_spanish_link_still_opens_the_page_at_its_new_address(frozen_now):
    token = services.unsubscribe_token(SubscriptionFactory())
    response = Client().get(f"/es/recordatorios/detener/{token}/")
    assert response.status_code == 301
    assert response["Location"] == f"/es/recordatorios/cancelar/{token}/"
    assert Client().get(response["Location"]).status_code == 200


def test_one_click_on_an_old_link_already_in_an_inbox_still_stops(frozen_now):
    subscription = SubscriptionFactory()
    token = services.unsubscribe_token(subscription)
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token
    response = mail_client.post(
        f"/es/recordatorios/detener/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.STOPPED


def test_the_count_of_reminders_comes_from_the_reminder_kinds():
    assert frequency.reminders_per_meeting() == len(REMINDER_KINDS) == 3


@pytest.mark.parametrize(
    ("language", "promise"),
    [
        ("es", "hasta 3 recordatorios antes de cada reunión"),
        ("en", "up to 3 reminders before each meeting"),
    ],
)
def test_consent_privacy_and_welcome_state_the_same_true_number(
    client, frozen_now, language, promise
):
    meeting = MeetingFactory()
    with translation.override(language):
        page = client.get(meeting.get_absolute_url()).content.decode()
        privacy = client.get(reverse("meetings:privacy")).content.decode()
    for html in (page, privacy):
        assert promise in html
        # The most there can be (staff may choose fewer for a meeting), and when they go.
        assert ("3 días antes" if language == "es" else "three days before") in html


def test_the_number_follows_the_reminder_kinds(client, frozen_now, monkeypatch):
    monkeypatch.setattr(frequency, "REMINDER_KINDS", REMINDER_KINDS[:1])
    meeting = MeetingFactory()
    with translation.override("en"):
        page = client.get(meeting.get_absolute_url()).content.decode()
    assert "1 reminder before each meeting" in page
