"""The upcoming list comes in pages of whole days, and each card is rendered once per revision."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client

from meetings.models import Meeting
from meetings.views import PAGE_SIZE
from outreach.fragments import fragments
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

LATER = re.compile(r'<p class="later"><a href="([^"]+)">')


@pytest.fixture(autouse=True)
def _fresh_pieces():
    fragments.clear()
    yield
    fragments.clear()


def slugs_on(html: str) -> list[str]:
    return re.findall(r'class="card[^"]*" href="/\w\w/[^/]+/([^/]+)/"', html)


def every_page(client, url: str) -> list[str]:
    """The pages of the upcoming list, following "More meetings" from `url` to the end."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(html)
        found = LATER.search(html)
        url = found.group(1) if found else None
    return pages


def meetings_on_days(per_day: list[int]) -> list[Meeting]:
    venue = VenueFactory()
    made = []
    for offset, count in enumerate(per_day):
        day = datetime(2027, 2, 3, 8, 0, tzinfo=CHICAGO) + timedelta(days=offset)
        made += [
            MeetingFactory(venue=venue, starts_at=day + timedelta(minutes=20 * n))
            for n in range(count)
        ]
    return made


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_upcoming_meeting_is_on_exactly_one_page_in_order(client, frozen_now, language):
    made = meetings_on_days([3] * 25)  # 75 meetings, three a day
    pages = every_page(client, f"/{language}/")
    assert len(pages) == 3
    shown = [slug for html in pages for slug in slugs_on(html)]
    assert shown == [m.slug for m in made]
    assert all(len(slugs_on(html)) <= PAGE_SIZE for html in pages)
    assert "Más reuniones" in pages[0] if language == "es" else "More meetings" in pages[0]


def test_a_page_never_splits_a_day(client, frozen_now):
    meetings_on_days([PAGE_SIZE - 1, 4, 1])
    first, second = every_page(client, "/es/")
    assert len(slugs_on(first)) == PAGE_SIZE - 1  # the second day does not fit: all of it waits
    assert len(slugs_on(second)) == 5
    assert LATER.search(first).group(1) == "/es/2027-02-04/"


def test_a_day_with_more_meetings_than_a_page_is_shown_whole(client, frozen_now):
    meetings_on_days([PAGE_SIZE + 3, 2])
    first, second = every_page(client, "/en/")
    assert len(slugs_on(first)) == PAGE_SIZE + 3
    assert len(slugs_on(second)) == 2


def test_a_page_address_that_is_not_a_date_is_not_found(client, frozen_now):
    assert client.get("/es/2027-02-31/").status_code == 404


def test_a_card_is_rendered_once_per_language_and_reused(client, settings, frozen_now):
    settings.PAGE_CACHE_SECONDS = 0  # every visit renders the page
    meetings_on_days([2, 2])
    for _ in range(3):
        client.get("/es/")
        client.get("/en/")
    cards_and_days = (4 + 2) * 2  # four cards and two days, in two languages
    # the page's header and its alternate links (by address), its static files and footer
    page_pieces = 4 * 2  # in two languages
    assert len(fragments.pieces) == cards_and_days + page_pieces


def test_a_change_made_without_signals_still_shows_at_once(client, settings, frozen_now):
    settings.PAGE_CACHE_SECONDS = 0
    meeting = MeetingFactory(title_es="Antes")
    assert "Antes" in client.get("/es/").content.decode()
    # queryset.update() sends no signal: the card's key, its content, changes all the same.
    Meeting.objects.filter(pk=meeting.pk).update(title_es="Después", status="cancelled")
    html = client.get("/es/").content.decode()
    assert "Después" in html and "Antes" not in html
    assert 'class="card cancelled"' in html
    meeting.venue.__class__.objects.filter(pk=meeting.venue_id).update(name="Biblioteca Nueva")
    assert "Biblioteca Nueva" in client.get("/es/").content.decode()


def test_a_kept_meeting_page_stops_offering_reminders_once_the_meeting_starts(
    client, settings, frozen_now
):
    settings.PAGE_CACHE_SECONDS = 0  # only the pages kept by content are in play
    meeting = MeetingFactory(starts_at=datetime(2027, 2, 1, 10, 0, tzinfo=CHICAGO))
    url = f"/en/meetings/{meeting.slug}/"
    assert 'name="phone"' in client.get(url).content.decode()
    assert 'name="phone"' in client.get(url).content.decode()  # the kept page
    frozen_now.move_to(datetime(2027, 2, 1, 10, 30, tzinfo=CHICAGO))
    html = client.get(url).content.decode()
    assert 'name="phone"' not in html  # started: no more reminders
    assert "I plan to go" in html  # not over yet


def test_a_visitor_who_said_they_will_go_gets_their_own_page(client, settings, frozen_now):
    settings.PAGE_CACHE_SECONDS = 0
    meeting = MeetingFactory()
    url = f"/en/meetings/{meeting.slug}/"
    client.get(url)
    client.post(f"/en/meetings/{meeting.slug}/i-plan-to-go/")
    assert "We are glad you plan to come" in client.get(url).content.decode()
    assert "We are glad you plan to come" not in Client().get(url).content.decode()


def test_a_changed_upcoming_page_is_rendered_from_one_query(client, settings, frozen_now):
    # A staff save changed the list: the page is rendered again (nothing kept but its cards),
    # from the rows it was read as; the meetings are not loaded a second time as objects.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    settings.KEEP_RENDERED = "pieces"
    meetings_on_days([3, 2])
    client.get("/es/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/es/").content.decode()
    assert len(slugs_on(html)) == 5
    assert len(queries) == 1


def test_a_card_shows_the_title_the_meeting_page_shows_in_every_language(
    client, settings, frozen_now
):
    # No Spanish title: the Spanish card shows the English one (the default language), marked
    # lang="en" for screen readers, exactly as the meeting's own page does (modeltranslation's
    # fallback).
    settings.PAGE_CACHE_SECONDS = 0
    meeting = MeetingFactory(title_en="Coffee with the police", title_es="")
    spanish = client.get("/es/").content.decode()
    assert '<strong lang="en">Coffee with the police</strong>' in spanish
    page = client.get(f"/es/reuniones/{meeting.slug}/").content.decode()
    assert 'lang="en">Coffee with the police</h1>' in page
    english = client.get("/en/").content.decode()
    assert "<strong>Coffee with the police</strong>" in english
    assert f'href="/en/meetings/{meeting.slug}/"' in english
