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


@pytest.mark.urls("tests.ops.urls_form_page")
def test_a_cached_form_carries_each_visitors_own_csrf_token():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/es/form")
    second_page = second.get("/es/form")
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


def meeting_url(meeting, language):
    with translation.override(language):
        return meeting.get_absolute_url()


def subscribe(client, url, token, language):
    """Ask for SMS reminders with the form of the meeting page at `url`."""
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
        "csrfmiddlewaretoken": token,
    }
    return client.post(action, data)


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
    # The CSRF cookie a new visitor gets is the same kind of cookie, only their own.
    assert set(hit.cookies) == set(miss.cookies)
    for name, cookie in miss.cookies.items():
        assert hit.cookies[name].value != cookie.value
        for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
            assert hit.cookies[name][attribute] == cookie[attribute]
        # The Set-Cookie line itself, as the server writes it, but for the value and date.
        written = [
            re.sub(r"expires=[^;]+", "", c.output(header="").replace(c.value, "VALUE"))
            for c in (hit.cookies[name], cookie)
        ]
        assert written[0] == written[1]


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


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_returning_resident_keeps_their_csrf_cookie_on_a_cached_page(language, frozen_now):
    meeting = MeetingFactory()
    url = meeting_url(meeting, language)
    Client().get(url)  # someone else's visit puts the page in the cache
    resident = Client(enforce_csrf_checks=True)
    resident.get(f"/{language}/")  # no form there: no cookie yet
    resident.get(meeting_url(meeting, language))  # this one is a hit, with a new cookie
    cookie = resident.cookies["csrftoken"].value
    cached = resident.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert cached.cookies["csrftoken"].value == cookie  # renewed, not replaced
    token = TOKEN.search(cached.content.decode()).group(1)
    assert subscribe(resident, url, "x" * 64, language).status_code == 403
    assert subscribe(resident, url, token, language).status_code == 302


def test_a_malformed_csrf_cookie_is_replaced_on_a_cached_page(frozen_now):
    meeting = MeetingFactory()
    url = meeting_url(meeting, "es")
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = "not-a-token!"
    cached = visitor.get(url)
    assert cached["X-Page-Cache"] == "hit"
    new_cookie = cached.cookies["csrftoken"].value
    assert new_cookie != "not-a-token!" and len(new_cookie) == 32
    token = TOKEN.search(cached.content.decode()).group(1)
    assert subscribe(visitor, url, token, "es").status_code == 302


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


def test_a_minted_csrf_token_unmasks_to_the_visitors_secret_as_djangos_does():
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
    from django.test import RequestFactory

    from outreach.pagecache import csrf_token_for

    request = RequestFactory().get("/es/")
    first, second = csrf_token_for(request), csrf_token_for(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and len(first) == 64 and first != second  # a fresh mask each time
    assert set(secret + first + second) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_minted_characters_are_equally_likely():
    # 256 byte values do not divide among 62 characters: the 8 left over are dropped, else the
    # first 8 characters would come a quarter more often (a guessable secret).
    from collections import Counter

    from django.middleware.csrf import CSRF_ALLOWED_CHARS

    from outreach.csrfmint import _random_chars

    counts = Counter(_random_chars(62 * 4000))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(0.9 * 4000 < n < 1.1 * 4000 for n in counts.values())  # about 5.6 sigma


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_kept_blank_reminder_form_carries_each_visitors_own_token(
    language, settings, frozen_now
):
    settings.PAGE_CACHE_SECONDS = 0  # every visit renders: the form itself comes from fragments
    meeting = MeetingFactory()
    url = meeting_url(meeting, language)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(first.get(url).content.decode()).group(1)
    second_html = second.get(url).content.decode()
    second_token = TOKEN.search(second_html).group(1)
    assert "csrftokenmarker" not in second_html
    assert first_token != second_token
    assert subscribe(second, url, first_token, language).status_code == 403
    assert subscribe(second, url, second_token, language).status_code == 302


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
