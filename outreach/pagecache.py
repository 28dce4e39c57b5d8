"""Rendered public pages kept in the shared cache, per language, until staff change something.

`@cache_public_page` marks a view whose page may be kept; `PageCacheMiddleware`, placed right
after the security and static-file middleware, stores such pages and answers later visits
before sessions, authentication, CSRF and the rest run (the language is part of the address,
so the key is the path). Each entry records the *version* it was rendered under; saving or
deleting a meeting or a venue sets a new version (`invalidate_pages`), so every process (all
gunicorn workers, the Celery worker) stops using older pages at once: the cache is Redis in
production, shared by all of them, and a visit reads the version and the page in one round
trip. Entries also expire after PAGE_CACHE_SECONDS, since "upcoming" changes by itself.

Only anonymous visitors are served from or written to the cache: a request carrying any cookie
other than the CSRF or language cookie (a session, flash messages) or a query string goes
straight to the view. A page with a form is cached with its CSRF token replaced by a marker, and
each visitor gets their own token (and cookie, exactly as CsrfViewMiddleware sets it) put back
in when the page is served. The headers the inner middleware added (X-Frame-Options,
Content-Language, Vary) are stored with the page; the outer ones (CSP, HSTS, Referrer-Policy,
nosniff) are added to every answer, so a hit carries the same headers as a miss.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.functional import empty
from django.utils.http import split_header_value

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
CSRF_MARKER = b"@@csrf-token@@"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
# Set on the request by @cache_public_page: the view that answered may be cached.
CACHEABLE_VIEW = "_page_cache_view"
# Senders whose saves change public pages (app_label.ModelName, resolved lazily).
PUBLIC_MODELS = ("meetings.Meeting", "meetings.Venue", "meetings.PolicyStatement")


def invalidate_pages() -> None:
    """Make every cached page stale, in every process (call after bulk updates too)."""
    try:
        cache.set(VERSION_KEY, secrets.token_hex(6), timeout=None)
    except Exception:  # a down cache serves nothing stale: pages are rendered uncached then
        logger.warning("page cache: could not set a new version")


def _first_version() -> str:
    """The version when none is stored yet (an empty or evicted cache)."""
    # A random start, so an evicted version key can never bring back an older page.
    cache.add(VERSION_KEY, secrets.token_hex(6), timeout=None)
    return str(cache.get(VERSION_KEY))


def _language_prefixes() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def _page_key(request: HttpRequest) -> str:
    # The path carries the language (/es/..., /en/...): no need to run LocaleMiddleware first.
    return "pagecache:page:" + hashlib.sha256(request.path.encode()).hexdigest()[:32]


def _request_is_cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        # Only pages with a language prefix are kept (see _response_is_cacheable's Vary): any
        # other address (admin, webhooks) costs no cache look-up.
        and request.path_info.startswith(_language_prefixes())
        and not request.META.get("QUERY_STRING")
        # Cookies other than these may change the page (a session, flash messages).
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    )


def _response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    nonce = getattr(request, "_csp_nonce", None)
    nonce_used = nonce is not None and getattr(nonce, "_wrapped", empty) is not empty
    cache_control = response.get("Cache-Control", "")
    vary = {v.lower() for v in split_header_value(response.get("Vary", ""))}
    return (
        response.status_code == 200
        and not response.streaming
        # Only the CSRF cookie, which each visitor gets afresh on a hit (_thaw).
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and vary <= {"cookie"}  # the cookies a cached request may carry never change the page
        and not nonce_used  # a CSP nonce must differ on every response
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _freeze(response: HttpResponse, version: str) -> dict[str, Any]:
    """What the cache keeps: the body with its CSRF token replaced by a marker, and headers."""
    content = response.content
    match = CSRF_FIELD.search(content)
    if match:
        content = content.replace(match.group(1), CSRF_MARKER)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    csrf = bool(match) or settings.CSRF_COOKIE_NAME in response.cookies
    return {"version": version, "content": content, "headers": headers, "csrf": csrf}


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let PageCacheMiddleware keep this view's page in the shared cache (per path, language)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        setattr(request, CACHEABLE_VIEW, True)
        return view(request, *args, **kwargs)

    return wrapper


class PageCacheMiddleware:
    """Answer anonymous visits to cached public pages from the cache; store pages it may keep.

    Place it right after SecurityMiddleware, the CSP middleware and WhiteNoise, so a hit skips
    everything after it; the request still has its Host checked, as CommonMiddleware would.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django's own code reads the visitor's CSRF cookie and sets it on a hit.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _request_is_cacheable(request):
            return self.get_response(request)
        request.get_host()  # a disallowed Host is refused (400) on a hit too
        key = _page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])  # one round trip
            version = found.get(VERSION_KEY)
            entry = found.get(key)
            if version is not None and entry is not None and entry["version"] == version:
                return self._thaw(request, entry)
            version = version if version is not None else _first_version()
        except Exception:  # the cache being down must not take the site down
            logger.warning("page cache: unavailable, rendering uncached")
            return self.get_response(request)
        # The version read before rendering: a page rendered from rows a staff save is
        # replacing is stored under the old version, never served once the new one is set.
        response = self.get_response(request)
        if (
            request.method == "GET"
            and getattr(request, CACHEABLE_VIEW, False)
            and _response_is_cacheable(request, response)
        ):
            try:
                cache.set(key, _freeze(response, version), timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: could not store a page")
            response["X-Page-Cache"] = "miss"
        return response

    def _thaw(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        """A fresh response from a cache entry, with this visitor's own CSRF token and cookie."""
        content = entry["content"]
        if entry["csrf"]:
            # The visitor's secret from a well-formed cookie, else a new one (as on a miss).
            self.csrf.process_request(request)
            content = content.replace(CSRF_MARKER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"].items():
            response[name] = value
        response["Content-Length"] = str(len(content))
        response["X-Page-Cache"] = "hit"
        if entry["csrf"]:
            self.csrf.process_response(request, response)  # the cookie, renewed or new
        return response


def _public_data_changed(sender: type, **kwargs: Any) -> None:
    """A meeting or venue was saved or deleted: drop cached pages now and after the commit.

    Now, so the same process sees the change at once; after the commit too, because a page
    rendered between the two from the old rows could otherwise be stored under the new version.
    """
    invalidate_pages()
    transaction.on_commit(invalidate_pages, using=kwargs.get("using"))


def connect_signals() -> None:
    """Invalidate on every save and delete of the models public pages show."""
    for model in PUBLIC_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                _public_data_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"pagecache:{signal is post_save}:{model}",
            )
