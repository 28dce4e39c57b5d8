"""A resident opens the site on a phone and finds the next meeting in their language."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus, Parking, Transit
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)

pytestmark = pytest.mark.django_db


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_root_sends_a_spanish_browser_to_spanish(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/es/"


def test_root_sends_an_unknown_language_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response["Location"] == "/en/"


def test_spanish_upcoming_page_writes_dates_the_spanish_way(client, frozen_now):
    MeetingFactory(starts_at=WEDNESDAY_EVENING)
    html = page(client, "/es/")
    assert '<html lang="es" dir="ltr">' in html
    assert "miércoles 3 de febrero" in html
    assert "6:30 p. m." in html
    assert "Reunión comunitaria" in html
    assert '<time datetime="2027-02-03T18:30:00-06:00">' in html


def test_english_upcoming_page_writes_dates_the_english_way(client, frozen_now):
    MeetingFactory(starts_at=WEDNESDAY_EVENING)
    html = page(client, "/en/")
    assert '<html lang="en" dir="ltr">' in html
    assert "Wednesday, February 3" in html
    assert "6:30 p.m." in html


def test_upcoming_meetings_are_a_list_grouped_by_day_with_a_cancelled_mark(client, frozen_now):
    MeetingFactory(starts_at=WEDNESDAY_EVENING, title_es="Primera")
    MeetingFactory(starts_at=WEDNESDAY_EVENING + timedelta(hours=2), title_es="Segunda")
    MeetingFactory(
        starts_at=WEDNESDAY_EVENING + timedelta(days=1),
        title_es="Tercera",
        status=MeetingStatus.CANCELLED,
    )
    html = page(client, "/es/")
    days = re.findall(r"<section class=\"day\".*?</section>", html, re.S)
    assert len(days) == 2
    assert days[0].count("<li>") == 2 and "Primera" in days[0] and "Segunda" in days[0]
    assert "jueves 4 de febrero" in days[1]
    assert "Cancelada" in days[1] and "Tercera" in days[1]


def test_empty_upcoming_page_says_when_to_come_back(client, frozen_now):
    html = page(client, "/es/")
    assert "Por ahora no hay reuniones programadas" in html
    assert "vuelva a visitarnos" in html


def test_past_and_unpublished_meetings_are_not_listed(client, frozen_now):
    past = MeetingFactory(starts_at=datetime(2027, 1, 5, 18, 0, tzinfo=CHICAGO))
    MeetingFactory(published=False, title_en="Hidden draft")
    MeetingFactory(title_en="Visible one")
    html = page(client, "/en/")
    assert "Visible one" in html
    assert "Hidden draft" not in html
    assert past.get_absolute_url() not in html


def test_meeting_page_in_both_languages(client, frozen_now):
    meeting = MeetingFactory()
    for language, title in [("es", "Reunión comunitaria"), ("en", "Community meeting")]:
        with translation.override(language):
            url = meeting.get_absolute_url()
        html = page(client, url)
        assert f"<h1>{title}</h1>" in html


def test_spanish_address_of_a_meeting_uses_spanish_words(frozen_now):
    meeting = MeetingFactory()
    with translation.override("es"):
        assert meeting.get_absolute_url() == f"/es/reuniones/{meeting.slug}/"
    with translation.override("en"):
        assert meeting.get_absolute_url() == f"/en/meetings/{meeting.slug}/"


def test_meeting_page_puts_what_to_expect_before_the_description(client, frozen_now):
    meeting = MeetingFactory(
        starts_at=WEDNESDAY_EVENING,
        interpretation=True,
        step_free_access=True,
        parking=Parking.FREE_LOT,
        transit=Transit.BUS_NEAR,
    )
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    assert "miércoles, 3 de febrero de 2027" in html
    assert "6:30 p. m." in html and "8:00 p. m." in html
    facts = re.search(r'<ul class="facts">(.*?)</ul>', html, re.S).group(1)
    for fact in [
        "Gratis",
        "No se pide identificación ni estatus migratorio",
        "Idiomas: español, inglés",
        "Hay interpretación",
        "Niños bienvenidos",
        "Acceso sin escalones",
        "Estacionamiento gratis",
    ]:
        assert fact in facts
    body = html[html.index("<main") :]
    assert body.index('class="facts"') < body.index("Conozca a los oficiales")


def test_meeting_page_links_directions_calendar_and_sharing(client, frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=' in html
    assert f'href="/es/reuniones/{meeting.slug}/calendario.ics"' in html
    whatsapp = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', html).group(1)
    assert "Reuni%C3%B3n%20comunitaria" in whatsapp
    assert f"https%3A%2F%2Fmeetings.example.org%2Fes%2Freuniones%2F{meeting.slug}%2F" in whatsapp
    assert re.search(r'href="sms:\?&amp;body=Reuni%C3%B3n%20comunitaria[^"]+"', html)
    # "Copy link" works without JavaScript: the address in a labelled, readonly field.
    assert '<label for="share-link">' in html
    assert (
        f'<input id="share-link" type="url" readonly '
        f'value="https://meetings.example.org/es/reuniones/{meeting.slug}/">'
    ) in html


def test_cancelled_meeting_page_says_so_first_and_offers_no_calendar(client, frozen_now):
    meeting = MeetingFactory(status=MeetingStatus.CANCELLED)
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    assert '<p class="banner" role="status">Esta reunión fue cancelada.</p>' in html
    assert html.index('class="banner"') < html.index("<h1")
    assert "Cancelada: Reunión comunitaria" in title_of(html)
    assert "calendario.ics" not in html
    assert "CANCELADA" in re.search(r'href="(https://wa\.me/[^"]+)"', html).group(1)


def structured_data(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_meeting_page_describes_the_event_for_search_engines(client, frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING, venue__name="Iglesia <San José>")
    data = structured_data(page(client, url_in("es", "meetings:detail", slug=meeting.slug)))
    assert data["@type"] == "Event"
    assert data["name"] == "Reunión comunitaria"
    assert data["startDate"] == "2027-02-03T18:30:00-06:00"
    assert data["endDate"] == "2027-02-03T20:00:00-06:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Iglesia <San José>"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"]["addressLocality"] == "Houston"
    assert data["inLanguage"] == ["es", "en"]
    assert data["isAccessibleForFree"] is True
    assert data["organizer"]["@type"] == "Organization"
    assert data["url"] == f"https://meetings.example.org/es/reuniones/{meeting.slug}/"


def test_structured_data_cannot_break_out_of_its_script_block(client, frozen_now):
    meeting = MeetingFactory(title_es="</script><script>alert(1)</script>")
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    assert "<script>alert(1)" not in html
    assert structured_data(html)["name"] == "</script><script>alert(1)</script>"


def test_cancelled_meeting_is_a_cancelled_event(client, frozen_now):
    meeting = MeetingFactory(status=MeetingStatus.CANCELLED)
    data = structured_data(page(client, url_in("en", "meetings:detail", slug=meeting.slug)))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.parametrize(
    ("language", "home_title", "privacy_title"),
    [
        (
            "es",
            "Próximas reuniones · Reuniones comunitarias",
            "Privacidad · Reuniones comunitarias",
        ),
        ("en", "Upcoming meetings · Community meetings", "Privacy · Community meetings"),
    ],
)
def test_page_titles_follow_the_language(client, frozen_now, language, home_title, privacy_title):
    meeting = MeetingFactory()
    assert title_of(page(client, f"/{language}/")) == home_title
    assert title_of(page(client, url_in(language, "meetings:privacy"))) == privacy_title
    meeting_title = title_of(page(client, url_in(language, "meetings:detail", slug=meeting.slug)))
    assert meeting_title.startswith(meeting.title_es if language == "es" else meeting.title_en)


def test_every_english_page_offers_spanish_at_the_top(client, frozen_now):
    meeting = MeetingFactory()
    pages = [
        ("/en/", 200),
        (url_in("en", "meetings:detail", slug=meeting.slug), 200),
        (url_in("en", "meetings:privacy"), 200),
        ("/en/meetings/no-such-meeting/", 404),
        ("/en/nothing-here/", 404),
    ]
    for url, status in pages:
        response = client.get(url)
        assert response.status_code == status, url
        html = response.content.decode()
        link = re.search(r'<a href="([^"]+)" hreflang="es" lang="es" dir="ltr">Español</a>', html)
        assert link, url
        assert html.index(">Español</a>") < html.index("<main")
        # The same page in Spanish, or the Spanish home when the address has no Spanish twin.
        assert client.get(link.group(1)).status_code in {status, 200}


def test_language_switch_keeps_the_visitor_on_the_same_meeting(client, frozen_now):
    meeting = MeetingFactory()
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    link = f'<a href="/en/meetings/{meeting.slug}/" hreflang="en" lang="en" dir="ltr">English</a>'
    assert link in html
    html = page(client, url_in("en", "meetings:detail", slug=meeting.slug))
    link = f'<a href="/es/reuniones/{meeting.slug}/" hreflang="es" lang="es" dir="ltr">Español</a>'
    assert link in html


def test_language_switch_keeps_the_visitor_on_the_privacy_page(client):
    html = page(client, "/es/privacidad/")
    assert '<a href="/en/privacy/" hreflang="en" lang="en" dir="ltr">English</a>' in html
    html = page(client, "/en/privacy/")
    assert '<a href="/es/privacidad/" hreflang="es" lang="es" dir="ltr">Español</a>' in html


def test_pages_name_their_other_language_version_for_search_engines(client, frozen_now):
    meeting = MeetingFactory()
    html = page(client, url_in("en", "meetings:detail", slug=meeting.slug))
    site = "https://meetings.example.org"
    spanish, english = f"{site}/es/reuniones/{meeting.slug}/", f"{site}/en/meetings/{meeting.slug}/"
    assert f'<link rel="alternate" hreflang="es" href="{spanish}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{english}">' in html


def test_missing_spanish_text_falls_back_to_english_marked_as_english(client, frozen_now):
    meeting = MeetingFactory(
        title_en="Safety walk", title_es="", description_es="", host_es="", venue__notes_es=""
    )
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    assert '<h1 lang="en">Safety walk</h1>' in html
    assert '<div class="description" lang="en"><p>Meet the officers' in html
    assert '<span lang="en">Interim Chief of Police</span>' in html
    assert '<div lang="en"><p>Side door.</p></div>' in html
    assert "Lo que debe saber" in html  # the page itself stays Spanish
    assert '<strong lang="en">Safety walk</strong>' in page(client, "/es/")


def test_spanish_text_is_not_marked_as_english(client, frozen_now):
    meeting = MeetingFactory()
    html = page(client, url_in("es", "meetings:detail", slug=meeting.slug))
    assert "<h1>Reunión comunitaria</h1>" in html
    assert 'lang="en">' not in html.replace('hreflang="en" lang="en" dir="ltr">English', "")


def test_privacy_page_states_the_promises_in_spanish(client):
    html = page(client, "/es/privacidad/")
    assert "<h1>Privacidad</h1>" in html
    promises = re.search(r"<ol class=\"promises\">(.*?)</ol>", html, re.S).group(1)
    assert promises.count("<li") == 4
    assert "ALTO" in html
