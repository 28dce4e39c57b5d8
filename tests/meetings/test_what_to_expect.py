"""The "what to expect" facts come from one list: the meeting page, the flyer, the calendar
file and the reminder emails say the same facts in the same words."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import calendar, flyer_pdf, flyers
from meetings.enums import Parking, Transit
from meetings.facts import headline, what_to_expect
from reminders import messages
from tests.factories import MeetingFactory
from tests.meetings.test_flyer_pdf import words

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(
        step_free_access=True,
        interpretation=True,
        parking=Parking.STREET,
        transit=Transit.BUS_NEAR,
    )


@pytest.mark.parametrize("language", ["es", "en"])
def test_page_flyer_calendar_and_email_say_the_same_facts(meeting, client, language):
    with translation.override(language):
        facts = [str(fact) for fact in what_to_expect(meeting)]
        page = client.get(meeting.get_absolute_url()).content.decode()
        ics = calendar.description(meeting)
    email = messages.render(
        "reminder_24h",
        language,
        lambda: {**messages.meeting_context(meeting), "unsubscribe_url": "https://x/stop"},
    )
    flyer = words(flyer_pdf.meeting_pdf(meeting, [language, language]))
    assert len(facts) == 8
    for fact in facts:
        assert fact in page and fact in ics and fact in email.text and fact in email.html
        assert fact in flyer, fact


def test_the_flyers_three_large_facts_are_in_the_readers_language(meeting):
    with translation.override("es"):
        top, _others = headline(meeting)
        assert [str(f) for f in top] == [
            "Gratis",
            "No se pide identificación ni estatus migratorio",
            "Se habla español",
        ]
    with translation.override("en"):
        assert [str(f) for f in headline(meeting)[0]][-1] == "English spoken"


def test_interpretation_is_the_third_fact_when_the_readers_language_is_not_spoken(frozen_now):
    meeting = MeetingFactory(spoken_languages=["en"], interpretation=True)
    with translation.override("es"):
        top, others = headline(meeting)
    assert [str(f) for f in top][-1] == "Hay interpretación"
    assert "Hay interpretación" not in [str(f) for f in others]


def test_no_language_fact_is_claimed_when_it_is_not_true(frozen_now):
    meeting = MeetingFactory(spoken_languages=["en"], interpretation=False, is_free=False)
    with translation.override("es"):
        top, _others = headline(meeting)
    assert [str(f) for f in top] == ["No se pide identificación ni estatus migratorio"]


def test_a_cancelled_meetings_email_does_not_list_what_to_expect(meeting):
    meeting.status = "cancelled"
    email = messages.render(
        "cancelled",
        "en",
        lambda: {**messages.meeting_context(meeting), "unsubscribe_url": "https://x/stop"},
    )
    assert "What to expect" not in email.text and "Free" not in email.text


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_print_view_works_in_both_admin_languages(meeting, staff_client, language):
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in html
    for side in flyers.meeting_flyer(meeting):
        assert side.qr in html and side.short_url in html
        for fact in side.headline:
            assert fact in html


def toolbar(html: str) -> str:
    return html[html.index('<div class="screen-only toolbar">') : html.index("<main")]


def test_the_flyer_toolbar_is_all_in_the_staff_members_language(meeting, staff_client):
    """An audit once found the toolbar in English in the Spanish admin."""
    url = reverse("admin:meetings_meeting_series_flyer")
    english = toolbar(staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    spanish = toolbar(staff_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    for phrase in ["Print this page", "Top half", "Bottom half", "Download the PDF", "Back to"]:
        assert phrase in english and phrase not in spanish
    for phrase in ["Imprima esta página", "Mitad superior", "Mitad inferior", "Descargar el PDF"]:
        assert phrase in spanish
    assert ">Español<" in spanish and ">Inglés<" in spanish
    meeting_page = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    spanish = toolbar(staff_client.get(meeting_page, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Archivos del código QR" in spanish and "PNG (Español)" in spanish
    assert "Spanish" not in spanish and "English" not in spanish


def test_the_download_link_keeps_the_chosen_languages(meeting, staff_client):
    url = reverse("admin:meetings_meeting_flyer", args=[meeting.pk])
    html = staff_client.get(url, {"top": "en", "bottom": "es"}).content.decode()
    pdf_url = reverse("admin:meetings_meeting_flyer_pdf", args=[meeting.pk])
    assert f'href="{pdf_url}?top=en&amp;bottom=es"' in html
    assert html.index('lang="en"', html.index("<main")) < html.index(
        'lang="es"', html.index("<main")
    )
