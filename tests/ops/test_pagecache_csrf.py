"""Cached pages whose forms still carry a CSRF token: each visitor gets their own token and
cookie, made as Django makes them (outreach/pagecache.py, outreach/csrfmint.py). The meeting
page's forms carry none (outreach/csrf.py); a test-only page with a form stands in for any page
that still has one."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


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


@pytest.mark.urls("tests.ops.urls_form_page")
def test_a_cached_form_pages_csrf_cookie_is_written_as_django_writes_it():
    miss, hit = Client().get("/es/form"), Client().get("/es/form")
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    # The CSRF cookie a new visitor gets is the same kind of cookie, only their own.
    assert set(hit.cookies) == set(miss.cookies) == {"csrftoken"}
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


@pytest.mark.urls("tests.ops.urls_form_page")
def test_a_returning_visitor_keeps_their_csrf_cookie_on_a_cached_form_page():
    Client().get("/es/form")  # someone else's visit puts the page in the cache
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/es/form")  # a hit, with a new cookie
    cookie = visitor.cookies["csrftoken"].value
    cached = visitor.get("/es/form")
    assert cached["X-Page-Cache"] == "hit"
    assert cached.cookies["csrftoken"].value == cookie  # renewed, not replaced
    token = TOKEN.search(cached.content.decode()).group(1)
    assert visitor.post("/signup", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert visitor.post("/signup", {"csrfmiddlewaretoken": token}).status_code == 200


@pytest.mark.urls("tests.ops.urls_form_page")
def test_a_malformed_csrf_cookie_is_replaced_on_a_cached_page():
    Client().get("/es/form")
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = "not-a-token!"
    cached = visitor.get("/es/form")
    assert cached["X-Page-Cache"] == "hit"
    new_cookie = cached.cookies["csrftoken"].value
    assert new_cookie != "not-a-token!" and len(new_cookie) == 32
    token = TOKEN.search(cached.content.decode()).group(1)
    assert visitor.post("/signup", {"csrfmiddlewaretoken": token}).status_code == 200


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
