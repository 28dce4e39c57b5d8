"""Public pages come from the shared cache, and a staff change still shows at once."""

import re
import socket

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get("X-Page-Cache"), response.content.decode()


def test_second_visit_is_served_from_the_cache_per_language(client, frozen_now):
    MeetingFactory()
    assert page(client, "/es/")[0] == "miss"
    assert page(client, "/en/")[0] == "miss"
    state, html = page(client, "/es/")
    assert state == "hit"
    assert "Reunión comunitaria" in html and '<html lang="es">' in html
    state, html = page(client, "/en/")
    assert state == "hit"
    assert "Community meeting" in html and '<html lang="en">' in html


def test_staff_saving_a_meeting_shows_at_once_in_both_languages(client, frozen_now):
    meeting = MeetingFactory()
    spanish, english = f"/es/reuniones/{meeting.slug}/", f"/en/meetings/{meeting.slug}/"
    for url in ("/es/", "/en/", spanish, english):
        page(client, url)
        assert page(client, url)[0] == "hit"
    meeting.title_es = "Reunión con el jefe interino"
    meeting.title_en = "Meeting with the interim chief"
    meeting.save()
    for url, title in [
        ("/es/", "Reunión con el jefe interino"),
        (spanish, "Reunión con el jefe interino"),
        ("/en/", "Meeting with the interim chief"),
        (english, "Meeting with the interim chief"),
    ]:
        state, html = page(client, url)
        assert state == "miss"
        assert title in html


def test_staff_renaming_a_venue_shows_at_once(client, frozen_now):
    meeting = MeetingFactory(venue=VenueFactory(name="Iglesia San José"))
    page(client, "/es/")
    venue = meeting.venue
    venue.name = "Familia Bethel Internacional"
    venue.save()
    html = page(client, "/es/")[1]
    assert "Familia Bethel Internacional" in html
    assert "Iglesia San José" not in html


def test_a_deleted_meeting_leaves_the_cached_list_at_once(client, frozen_now):
    MeetingFactory(title_en="Staying")
    leaving = MeetingFactory(title_en="Going away")
    assert "Going away" in page(client, "/en/")[1]
    leaving.delete()
    html = page(client, "/en/")[1]
    assert "Going away" not in html
    assert "Staying" in html


def test_calendar_feed_is_cached_and_follows_a_cancellation(client, frozen_now):
    meeting = MeetingFactory()
    with translation.override("es"):
        url = reverse("meetings:feed_ics")
    assert "STATUS:CANCELLED" not in page(client, url)[1]
    assert page(client, url)[0] == "hit"
    meeting.status = "cancelled"
    meeting.save()
    assert "STATUS:CANCELLED" in page(client, url)[1]


def test_a_visitor_with_a_session_gets_a_fresh_page(client, frozen_now):
    MeetingFactory()
    page(client, "/es/")
    client.cookies["sessionid"] = "whatever"
    assert page(client, "/es/")[0] is None


def test_a_query_string_bypasses_the_cache(client, frozen_now):
    MeetingFactory()
    page(client, "/es/?a=1")
    assert page(client, "/es/?a=1")[0] is None


def test_pages_are_served_while_the_cache_is_down(client, settings, frozen_now):
    MeetingFactory()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    state, html = page(client, "/es/")
    assert state is None
    assert "Reunión comunitaria" in html


@pytest.mark.urls("tests.ops.urls_form_page")
def test_a_cached_form_carries_each_visitors_own_csrf_token():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/form")
    second_page = second.get("/form")
    assert (first_page["X-Page-Cache"], second_page["X-Page-Cache"]) == ("miss", "hit")
    first_token = TOKEN.search(first_page.content.decode()).group(1)
    second_token = TOKEN.search(second_page.content.decode()).group(1)
    assert first_token != second_token
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    # Each visitor's form works with the token their cached page carried, and not another's.
    assert second.post("/signup", {"csrfmiddlewaretoken": second_token}).status_code == 200
    assert second.post("/signup", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert first.post("/signup", {"csrfmiddlewaretoken": first_token}).status_code == 200


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_resident_served_a_cached_meeting_page_can_still_ask_for_reminders(language, frozen_now):
    meeting = MeetingFactory()
    with translation.override(language):
        url = meeting.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert first.get(url)["X-Page-Cache"] == "miss"
    cached = second.get(url)
    assert cached["X-Page-Cache"] == "hit"
    html = cached.content.decode()
    form = next(part for part in html.split("<form")[1:] if 'name="phone"' in part)
    action = re.search(r'action="([^"]+)"', form).group(1)
    response = second.post(
        action,
        {
            "csrfmiddlewaretoken": TOKEN.search(form).group(1),
            "channel": "sms",
            "phone": "(713) 555-0134",
            "language": language,
            "scope": "meeting",
            "consent": "on",
        },
    )
    assert response.status_code == 302  # on to "type the code", not a 403 CSRF failure
