"""After confirming, the page says which meeting the reminders are for (or every upcoming
meeting, and the next one), with day, time and venue, in the page's language (issue 13)."""

import re
from datetime import datetime, timedelta

import pytest

from tests.conftest import CHICAGO, FOUR_LANGUAGES
from tests.factories import MeetingFactory, VenueFactory
from tests.reminders.test_resident_flow import ask, url

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
FOUR = FOUR_LANGUAGES
NAMED = {
    "es": ["Sus recordatorios son para esta reunión:", "miércoles, 3 de febrero de 2027, 6:30"],
    "en": ["Your reminders are for this meeting:", "Wednesday, February 3, 2027, 6:30 p.m."],
    "vi": ["Lời nhắc của quý vị là cho buổi họp này:", "3 tháng 2"],
    "ar": ["تذكيراتكم لهذا اللقاء:", "3 فبراير"],
}


@pytest.fixture
def meeting(settings, frozen_now):
    settings.LANGUAGES = FOUR
    bethel = VenueFactory(name="Familia Bethel Internacional", street_address="3500 W Davis St")
    return MeetingFactory(venue=bethel, starts_at=WEDNESDAY_EVENING)


def confirm_by_code(client, meeting, language, sms_outbox, committed, **fields):
    with committed():
        page = ask(client, meeting, language, phone="(713) 555-0134", **fields)["Location"]
    code = re.search(r"\b(\d{6})\b", sms_outbox()[-1]["body"]).group(1)
    with committed():
        return client.post(page, {"code": code}, follow=True)


@pytest.mark.parametrize("language", ["es", "en", "vi", "ar"])
def test_the_confirmed_page_names_the_meeting_in_the_pages_language(
    client, meeting, sms_outbox, committed, language
):
    response = confirm_by_code(client, meeting, language, sms_outbox, committed)

    assert response.redirect_chain[-1][0] == url(language, "reminders:confirmed")
    page = response.content.decode()
    for words in NAMED[language]:
        assert words in page
    assert "Familia Bethel Internacional" in page and "3500 W Davis St" in page
    assert f'href="{url(language, "meetings:detail", slug=meeting.slug)}"' in page
    assert "(713)" not in page and "555-0134" not in page  # the number is never shown back


def test_all_upcoming_meetings_names_every_meeting_and_the_next_one(
    client, meeting, sms_outbox, committed
):
    MeetingFactory(starts_at=WEDNESDAY_EVENING + timedelta(days=7))
    response = confirm_by_code(client, meeting, "es", sms_outbox, committed, scope="all")
    page = response.content.decode()
    assert "Sus recordatorios son para todas las próximas reuniones. La próxima reunión:" in page
    assert "miércoles, 3 de febrero de 2027, 6:30 p. m." in page
    assert "Familia Bethel Internacional" in page


def test_an_email_confirmed_from_another_browser_names_the_meeting_too(
    client, meeting, committed, mailoutbox
):
    with committed():
        ask(client, meeting, "en", channel="email", email="maria@example.org")
    link = re.search(r"https://meetings\.example\.org(\S+)", mailoutbox[0].body).group(1)
    from django.test import Client

    page = Client().post(link, follow=True).content.decode()
    assert "Your reminders are for this meeting:" in page
    assert "Wednesday, February 3, 2027, 6:30 p.m." in page


def test_the_page_opened_with_nothing_confirmed_stays_general(client, meeting):
    page = client.get(url("en", "reminders:confirmed")).content.decode()
    assert "Your reminders are on" in page
    assert "Your reminders are for" not in page


def test_the_confirmed_page_promises_only_the_reminders_still_ahead_and_how_to_stop_by_text(
    client, meeting, sms_outbox, committed
):
    """Resident's audit: Monday 9:00, a Wednesday meeting: its 3-day reminder has passed, yet
    the page promised one "up to three days before", and told a texter about email links."""
    page = confirm_by_code(client, meeting, "es", sms_outbox, committed).content.decode()
    assert "1 día antes y 2 horas antes" in page
    assert "3 días antes" not in page and "tres días" not in page
    assert "mensaje de texto" in page and "ALTO" in page
    assert "correo" not in page[page.index("<main") : page.index("</main>")]
