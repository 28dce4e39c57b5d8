"""A link or a page opened a second time says what is true now, in friendly words (issue 10)."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus
from reminders import services
from reminders.enums import SubscriptionStatus
from reminders.models import Subscription
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory, VenueFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
WORDS = {
    "es": {
        "already_confirmed": "Ya está confirmado",
        "already_stopped": "Ya está dado de baja",
        "sign_up_again": "Para volver a recibir recordatorios",
        "passed": "ya se realizó",
        "next": "La próxima reunión",
        "cancelled": "fue cancelada",
    },
    "en": {
        "already_confirmed": "You are already confirmed",
        "already_stopped": "already stopped",
        "sign_up_again": "To get reminders again",
        "passed": "has already taken place",
        "next": "The next meeting",
        "cancelled": "has been cancelled",
    },
}
LANGUAGES = ["es", "en"]


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_confirmation_link_opened_again_says_already_confirmed(
    client, frozen_now, committed, language
):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    data = {"channel": "email", "email": "ana@example.org", "language": language}
    with committed():
        client.post(
            url(language, "reminders:subscribe", slug=meeting.slug),
            {**data, "scope": "one", "consent": "on"},
        )
    link = re.search(r"https://meetings\.example\.org(\S+)", mail.outbox[0].body).group(1)
    with committed():
        client.post(link)
    again = Client().get(link)
    assert again.status_code == 200
    page = again.content.decode()
    assert WORDS[language]["already_confirmed"] in page
    assert "ana@" not in page
    assert Client().post(link).status_code == 200  # pressing the old button again: same answer
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unsubscribe_link_opened_again_says_already_stopped(frozen_now, language):
    subscription = SubscriptionFactory(channel="email", contact="ana@example.org")
    link = url(language, "reminders:unsubscribe", token=services.unsubscribe_token(subscription))
    mail_client = Client(enforce_csrf_checks=True)
    first = mail_client.post(link)
    assert first.status_code == 200
    again = mail_client.get(link)
    assert again.status_code == 200
    page = again.content.decode()
    assert WORDS[language]["already_stopped"] in page
    assert WORDS[language]["sign_up_again"] in page
    assert 'method="post"' not in page  # no button offering to stop again
    assert url(language, "meetings:upcoming") in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unsubscribe_link_for_a_deleted_subscription_says_already_stopped(frozen_now, language):
    subscription = SubscriptionFactory(channel="email", contact="ana@example.org")
    link = url(language, "reminders:unsubscribe", token=services.unsubscribe_token(subscription))
    subscription.delete()
    page = Client().get(link)
    assert page.status_code == 200
    assert WORDS[language]["already_stopped"] in page.content.decode()


def test_a_forged_unsubscribe_link_is_not_found(client):
    assert client.get(url("es", "reminders:unsubscribe", token="made-up")).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_past_meeting_says_it_passed_and_links_the_next_one(client, frozen_now, language):
    venue = VenueFactory()
    past = MeetingFactory(venue=venue, starts_at=WEDNESDAY - timedelta(days=14))
    elsewhere = MeetingFactory(starts_at=WEDNESDAY)
    following = MeetingFactory(venue=venue, starts_at=WEDNESDAY + timedelta(days=7))
    page = client.get(url(language, "meetings:detail", slug=past.slug)).content.decode()
    assert WORDS[language]["passed"] in page
    assert WORDS[language]["next"] in page
    with translation.override(language):
        assert f'href="{following.get_absolute_url()}"' in page  # same place comes first
        assert elsewhere.get_absolute_url() not in page
        assert reverse("meetings:meeting_ics", kwargs={"slug": past.slug}) not in page
    assert 'name="consent"' not in page  # no "remind me"
    assert "google.com/maps" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_cancelled_meeting_hides_directions_and_links_the_next_one(client, frozen_now, language):
    cancelled = MeetingFactory(starts_at=WEDNESDAY, status=MeetingStatus.CANCELLED)
    following = MeetingFactory(starts_at=WEDNESDAY + timedelta(days=7))
    page = client.get(url(language, "meetings:detail", slug=cancelled.slug)).content.decode()
    assert WORDS[language]["cancelled"] in page
    assert "google.com/maps" not in page
    with translation.override(language):
        assert f'href="{following.get_absolute_url()}"' in page


def test_an_upcoming_meeting_page_keeps_directions_calendar_and_form(client, frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY)
    page = client.get(url("en", "meetings:detail", slug=meeting.slug)).content.decode()
    assert "google.com/maps" in page
    assert 'name="consent"' in page
    assert "The next meeting" not in page
