"""Public pages come from the shared cache, and a staff change still shows at once."""

import re
import socket
from typing import ClassVar

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.models import Meeting
from outreach.pagecache import invalidate_pages
from reminders.models import Subscription
from tests.conftest import FOUR_LANGUAGES
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


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
    assert "Reunión comunitaria" in html and '<html lang="es" dir="ltr">' in html
    state, html = page(client, "/en/")
    assert state == "hit"
    assert "Community meeting" in html and '<html lang="en" dir="ltr">' in html


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


@pytest.mark.parametrize("language", [code for code, _name in FOUR_LANGUAGES])
def test_a_resident_signs_up_from_a_cached_meeting_page_that_set_no_cookie(
    language, settings, frozen_now
):
    settings.LANGUAGES = FOUR_LANGUAGES
    meeting = MeetingFactory()
    with translation.override(language):
        url = meeting.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    miss = first.get(url)
    cached = second.get(url)
    assert (miss["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    for response in (miss, cached):
        # A frightened resident's first look leaves nothing behind: no cookie, no token.
        assert not response.cookies and "Set-Cookie" not in response.headers
        assert "csrfmiddlewaretoken" not in response.content.decode()
    form = next(p for p in cached.content.decode().split("<form")[1:] if 'name="phone"' in p)
    action = re.search(r'action="([^"#]+)', form).group(1)
    fields = {"channel": "sms", "phone": "(713) 555-0134", "language": language}
    response = second.post(
        action,
        {**fields, "scope": "meeting", "consent": "on"},
        headers={"Sec-Fetch-Site": "same-origin"},  # what the resident's browser says itself
    )
    assert response.status_code == 302  # on to "type the code", not a 403 CSRF failure
    assert Subscription.objects.count() == 1


def meeting_url(meeting, language):
    with translation.override(language):
        return meeting.get_absolute_url()


def subscribe(client, url, language):
    """Ask for SMS reminders with the form of the meeting page at `url`, from a browser that
    says the post comes from our own page (Sec-Fetch-Site)."""
    form = next(
        part
        for part in client.get(url).content.decode().split("<form")[1:]
        if 'name="phone"' in part
    )
    action = re.search(r'action="([^"]+)"', form).group(1)
    data = {
        "channel": "sms",
        "phone": "(713) 555-0134",
        "language": language,
        "scope": "meeting",
        "consent": "on",
    }
    return client.post(action, data, headers={"Sec-Fetch-Site": "same-origin"})


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("which", ["upcoming", "meeting"])
def test_a_cached_page_carries_the_same_headers_as_a_freshly_rendered_one(
    which, language, frozen_now
):
    meeting = MeetingFactory()
    url = meeting_url(meeting, language) if which == "meeting" else f"/{language}/"
    miss, hit = Client().get(url), Client().get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    headers = {name: value for name, value in miss.headers.items() if name != "X-Page-Cache"}
    assert {name: value for name, value in hit.headers.items() if name != "X-Page-Cache"} == headers
    assert {"Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"} <= set(headers)
    assert headers["Content-Language"] == language
    assert int(hit["Content-Length"]) == len(hit.content)
    assert not hit.cookies and not miss.cookies  # no form on them needs a token


def test_a_cached_page_is_answered_before_sessions_and_logins_are_looked_at(client, frozen_now):
    MeetingFactory()
    miss = client.get("/es/")
    hit = client.get("/es/")
    assert hasattr(miss.wsgi_request, "session") and hasattr(miss.wsgi_request, "user")
    assert hit["X-Page-Cache"] == "hit"
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")


def test_a_cached_page_is_refused_to_a_host_the_site_does_not_serve(client, frozen_now):
    MeetingFactory()
    page(client, "/es/")
    assert client.get("/es/", HTTP_HOST="evil.example").status_code == 400


class CountingCache(LocMemCache):
    """A local cache that counts the reads the page cache makes (one per visit is the goal)."""

    reads: ClassVar[list[str]] = []

    def get(self, key, default=None, version=None):
        self.reads.append("get")
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        self.reads.append("get_many")
        found = {key: LocMemCache.get(self, key, version=version) for key in keys}
        return {key: value for key, value in found.items() if value is not None}


def test_a_cached_page_costs_one_cache_read(client, settings, frozen_now):
    settings.CACHES = {"default": {"BACKEND": "tests.ops.test_pagecache.CountingCache"}}
    MeetingFactory()
    page(client, "/es/")
    CountingCache.reads.clear()
    assert page(client, "/es/")[0] == "hit"
    assert CountingCache.reads == ["get"]  # the version only: this process kept the page


def test_a_process_that_never_saw_a_page_reads_it_with_the_version_at_once(settings, frozen_now):
    settings.CACHES = {"default": {"BACKEND": "tests.ops.test_pagecache.CountingCache"}}
    MeetingFactory()
    page(Client(), "/es/")  # another process (its own middleware) rendered and stored it
    CountingCache.reads.clear()
    assert page(Client(), "/es/")[0] == "hit"
    assert CountingCache.reads == ["get_many"]


def test_a_process_copy_is_not_served_after_another_process_changed_the_version(frozen_now):
    meeting = MeetingFactory(title_es="Antes del cambio")
    visitor = Client()
    page(visitor, "/es/")
    assert page(visitor, "/es/")[0] == "hit"  # now served from this process's own copy
    Meeting.objects.filter(pk=meeting.pk).update(title_es="Después del cambio")
    invalidate_pages()  # as another process's save does: only the shared version changes
    state, html = page(visitor, "/es/")
    assert state == "miss"
    assert "Después del cambio" in html and "Antes del cambio" not in html


def test_a_page_kept_by_a_process_expires_with_the_shared_cache(settings, frozen_now):
    from outreach.pagecache import LocalPages

    pages = LocalPages(budget=100)
    pages.put("a", {"content": b"x" * 60, "version": "v"}, seconds=60)
    pages.put("b", {"content": b"y" * 60, "version": "v"}, seconds=60)
    assert pages.get("a") is None  # over the budget: the least recently used went first
    assert pages.get("b")["content"] == b"y" * 60
    pages.put("c", {"content": b"z", "version": "v"}, seconds=-1)
    assert pages.get("c") is None  # expired


def test_a_page_stored_before_a_staff_change_is_never_served_after_it(client, frozen_now):
    meeting = MeetingFactory(title_es="Antes del cambio")
    page(client, "/es/")
    invalidate_pages()  # another process saved a meeting: only the shared version changed
    state, html = page(client, "/es/")
    assert state == "miss"
    assert "Antes del cambio" in html and meeting.title_es in html
    assert page(client, "/es/")[0] == "hit"


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_kept_blank_reminder_form_carries_no_token_rendered_or_kept(
    language, settings, frozen_now
):
    settings.PAGE_CACHE_SECONDS = 0  # every visit renders: the form itself comes from fragments
    meeting = MeetingFactory()
    url = meeting_url(meeting, language)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for visitor in (first, second):
        response = visitor.get(url)
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html and "csrftokenmarker" not in html
        assert not response.cookies
    assert subscribe(second, url, language).status_code == 302


def test_the_embedded_default_serves_a_cached_page_without_a_query(settings, tmp_path, frozen_now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "c"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    meeting = MeetingFactory()
    assert page(Client(), "/es/")[0] == "miss"
    with CaptureQueriesContext(connection) as queries:
        assert page(Client(), "/es/")[0] == "hit"  # another process: read from the files
    assert len(queries) == 0
    meeting.title_es = "Nuevo título"
    meeting.save()  # the new version is written to the files: every process sees it
    state, html = page(Client(), "/es/")
    assert state == "miss" and "Nuevo título" in html
