"""Staff print a bilingual flyer (Spanish first) whose QR codes lead to our own pages."""

from datetime import datetime

import pytest
import segno
from django.urls import reverse

from meetings import flyers
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

SITE = "https://meetings.example.org"


@pytest.fixture
def meeting(frozen_now):
    venue = VenueFactory(name="Familia Bethel Internacional", street_address="7001 Fulton St")
    return MeetingFactory(venue=venue, starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))


def expected_svg(url: str) -> str:
    """What segno makes for this address: the page must hold exactly this code."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2)


def test_meeting_flyer_is_bilingual_with_spanish_first(meeting, staff_client):
    html = staff_client.get(reverse("admin:meetings_meeting_flyer", args=[meeting.pk])).content
    html = html.decode()
    main = html.index("<main")
    spanish, english = html.index('lang="es"', main), html.index('lang="en"', main)
    assert spanish < english
    assert "miércoles, 3 de febrero de 2027" in html and "6:30 p. m. – 8:00 p. m." in html
    assert "Wednesday, February 3, 2027" in html and "6:30 p.m. – 8:00 p.m." in html
    assert "Familia Bethel Internacional" in html and "7001 Fulton St" in html
    assert "Reunión comunitaria" in html and "Community meeting" in html
    assert "Recordatorio gratis" in html or "recordatorio gratis" in html
    assert "Get a free reminder" in html
    assert "/static/css/flyer.css" in html and "<script" not in html and "style=" not in html


def test_each_side_has_a_qr_code_to_the_page_in_its_language(meeting, staff_client):
    html = staff_client.get(reverse("admin:meetings_meeting_flyer", args=[meeting.pk])).content
    html = html.decode()
    spanish_url = f"{SITE}/es/reuniones/{meeting.slug}/"
    english_url = f"{SITE}/en/meetings/{meeting.slug}/"
    assert flyers.meeting_url(meeting, "es") == spanish_url
    for url in (spanish_url, english_url):
        assert expected_svg(url) in html
    assert html.index(expected_svg(spanish_url)) < html.index(expected_svg(english_url))


def test_the_qr_payload_is_the_page_address(meeting):
    code = flyers.qr_code(flyers.meeting_url(meeting, "es"))
    same = segno.make(f"{SITE}/es/reuniones/{meeting.slug}/", error="m", micro=False)
    other = segno.make(f"{SITE}/en/meetings/{meeting.slug}/", error="m", micro=False)
    assert code.matrix == same.matrix and code.matrix != other.matrix


@pytest.mark.parametrize(("language", "kind"), [("es", "png"), ("es", "svg"), ("en", "png")])
def test_qr_code_downloads(meeting, staff_client, language, kind):
    url = reverse(f"admin:meetings_meeting_qr_{kind}", args=[meeting.pk, language])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == flyers.qr_file(flyers.meeting_url(meeting, language), kind)
    magic = b"\x89PNG" if kind == "png" else b"<?xml"
    assert response.content.startswith(magic)


def test_a_qr_code_for_a_language_the_site_does_not_have_is_not_found(meeting, staff_client):
    url = reverse("admin:meetings_meeting_qr_png", args=[meeting.pk, "xx"])
    assert staff_client.get(url).status_code == 404


def test_series_flyer_lists_upcoming_published_meetings(meeting, staff_client):
    MeetingFactory(title_en="Hidden draft", published=False)
    MeetingFactory(starts_at=datetime(2027, 2, 10, 18, 30, tzinfo=CHICAGO))
    html = staff_client.get(reverse("admin:meetings_meeting_series_flyer")).content.decode()
    assert "miércoles 10 de febrero" in html and "Wednesday, February 10" in html
    assert "Hidden draft" not in html
    assert expected_svg(f"{SITE}/es/") in html and expected_svg(f"{SITE}/en/") in html


def test_flyers_are_for_staff_only(meeting, client):
    response = client.get(reverse("admin:meetings_meeting_flyer", args=[meeting.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_printing_note_follows_the_staff_language(meeting, staff_client):
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    english = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Print this page on Letter paper" in english
    spanish = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in spanish and "Imprima esta página en papel tamaño carta" in spanish


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "Esta reunión no está publicada"), ("en", "This meeting is not published")],
)
def test_a_flyer_for_a_hidden_meeting_warns_that_its_code_opens_nothing_yet(
    meeting, staff_client, language, words
):
    # The officer's audit: a flyer printed for a draft sent residents to "not found".
    meeting.published = False
    meeting.save()
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'id="flyer-unpublished"' in html and words in html
    meeting.published = True
    meeting.save()
    assert 'id="flyer-unpublished"' not in staff_client.get(url).content.decode()


def test_the_printed_arabic_half_keeps_phone_numbers_left_to_right(meeting, staff_client, settings):
    """In a right-to-left sentence "(214) 555-0100" would show as "555-0100 (214)": the number
    is isolated (Unicode LRI ... PDI) on the Arabic half only."""
    settings.LANGUAGES = [("es", "Español"), ("ar", "العربيّة")]
    settings.SMS_JOIN_NUMBER = "+12145550100"
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    html = staff_client.get(url, {"top": "es", "bottom": "ar"}).content.decode()
    arabic = html[html.index('lang="ar"', html.index("<main")) :]
    spanish = html[: html.index('lang="ar"', html.index("<main"))]
    assert "\u2066(214)\u00a0555-0100\u2069" in arabic and "\u2066214-555-0142\u2069" in arabic
    assert "\u2066" not in spanish and "(214) 555-0100" in spanish


def test_the_printed_arabic_half_is_written_right_to_left(meeting, staff_client, settings):
    """Officer's audit: the print view's Arabic half was laid out left to right (text on the
    left, its QR code on the right, the phone number's pieces out of order)."""
    settings.LANGUAGES = [("es", "Español"), ("ar", "العربيّة")]
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    html = staff_client.get(url, {"top": "es", "bottom": "ar"}).content.decode()
    assert '<section class="half" lang="ar" dir="rtl">' in html
    assert '<section class="half" lang="es" dir="ltr">' in html


def test_latin_names_in_the_printed_arabic_half_keep_their_order(meeting, staff_client, settings):
    """ "7001 Fulton St" in a right-to-left paragraph would show as "Fulton St … 7001"."""
    settings.LANGUAGES = [("es", "Español"), ("ar", "العربيّة")]
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    html = staff_client.get(url, {"top": "es", "bottom": "ar"}).content.decode()
    assert '<p class="address"><bdi>7001 Fulton St' in html
    assert '<p class="venue"><bdi>Familia Bethel Internacional</bdi></p>' in html
