"""A resident opens the site on a phone and finds the next meeting in their language."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)

pytestmark = pytest.mark.django_db


def test_root_sends_a_spanish_browser_to_spanish(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/es/"


def test_root_sends_an_unknown_language_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response["Location"] == "/en/"


def test_spanish_upcoming_page_writes_dates_the_spanish_way(client, frozen_now):
    MeetingFactory(starts_at=WEDNESDAY_EVENING)
    response = client.get("/es/")
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "miércoles 3 de febrero" in html
    assert "6:30 p. m." in html
    assert "Reunión comunitaria" in html


def test_english_upcoming_page_writes_dates_the_english_way(client, frozen_now):
    MeetingFactory(starts_at=WEDNESDAY_EVENING)
    html = client.get("/en/").content.decode()
    assert "Wednesday, February 3" in html
    assert "6:30 p.m." in html
    assert "En español" in html


def test_past_and_unpublished_meetings_are_not_listed(client, frozen_now):
    past = MeetingFactory(starts_at=datetime(2027, 1, 5, 18, 0, tzinfo=CHICAGO))
    past.ends_at = past.starts_at + timedelta(hours=1)
    past.save()
    MeetingFactory(published=False, title_en="Hidden draft")
    MeetingFactory(title_en="Visible one")
    html = client.get("/en/").content.decode()
    assert "Visible one" in html
    assert "Hidden draft" not in html
    assert past.get_absolute_url() not in html


def test_meeting_page_in_both_languages(client, frozen_now):
    meeting = MeetingFactory()
    for language, title in [("es", "Reunión comunitaria"), ("en", "Community meeting")]:
        with translation.override(language):
            url = meeting.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200
        assert title in response.content.decode()


def test_spanish_address_of_a_meeting_uses_spanish_words(frozen_now):
    meeting = MeetingFactory()
    with translation.override("es"):
        assert meeting.get_absolute_url() == f"/es/reuniones/{meeting.slug}/"
    with translation.override("en"):
        assert meeting.get_absolute_url() == f"/en/meetings/{meeting.slug}/"


def test_unknown_meeting_is_a_translated_404(client):
    response = client.get(reverse("meetings:detail", kwargs={"slug": "nope"}).replace("/en/", "/es/"))
    assert response.status_code == 404
    assert "No encontramos esa página" in response.content.decode()


def test_language_switch_keeps_the_visitor_on_the_same_meeting(client, frozen_now):
    meeting = MeetingFactory()
    with translation.override("es"):
        spanish_url = meeting.get_absolute_url()
    html = client.get(spanish_url).content.decode()
    assert f'href="/en/meetings/{meeting.slug}/"' in html
