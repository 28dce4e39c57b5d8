"""Rendered public pages kept in the shared cache, per language, until staff change something.

`@cache_public_page` wraps a view. A cache entry is keyed by a *version*, the language and the
path; saving or deleting a meeting or a venue sets a new version (`invalidate_pages`), so every
process (all gunicorn workers, the Celery worker) stops using older pages at once: the cache is
Redis in production, shared by all of them. Entries also expire after PAGE_CACHE_SECONDS, since
"upcoming" changes by itself as meetings end.

Only anonymous visitors are served from or written to the cache: a request carrying any cookie
other than the CSRF or language cookie (a session, flash messages) or a query string goes
straight to the view. A page with a form is cached with its CSRF token replaced by a marker, and
each visitor gets their own token (and cookie) put back in when the page is served.
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
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.functional import empty

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
CSRF_MARKER = b"@@csrf-token@@"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
# Senders whose saves change public pages (app_label.ModelName, resolved lazily).
PUBLIC_MODELS = ("meetings.Meeting", "meetings.Venue")


def invalidate_pages() -> None:
    """Make every cached page stale, in every process (call after bulk updates too)."""
    try:
        cache.set(VERSION_KEY, secrets.token_hex(6), timeout=None)
    except Exception:  # a down cache serves nothing stale: pages are rendered uncached then
        logger.warning("page cache: could not set a new version")


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start, so an evicted version key can never bring back an older page.
        cache.add(VERSION_KEY, secrets.token_hex(6), timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def _page_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"pagecache:{_current_version()}:{translation.get_language()}:{digest}"


def _request_is_cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        # Cookies other than these may change the page (a session, flash messages).
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    )


def _response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    nonce = getattr(request, "_csp_nonce", None)
    nonce_used = nonce is not None and getattr(nonce, "_wrapped", empty) is not empty
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not nonce_used  # a CSP nonce must differ on every response
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _freeze(response: HttpResponse) -> dict[str, Any]:
    """What the cache keeps: the body with its CSRF token replaced by a marker, and headers."""
    content = response.content
    match = CSRF_FIELD.search(content)
    if match:
        content = content.replace(match.group(1), CSRF_MARKER)
    return {"content": content, "headers": dict(response.headers), "csrf": bool(match)}


def _thaw(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    """A fresh response from a cache entry, with this visitor's own CSRF token."""
    content = entry["content"]
    if entry["csrf"]:
        # get_token also makes CsrfViewMiddleware set this visitor's cookie, as a render would.
        content = content.replace(CSRF_MARKER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the shared cache, per language, until staff change data."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _request_is_cacheable(request):
            return view(request, *args, **kwargs)
        try:
            key = _page_key(request)
            entry = cache.get(key)
        except Exception:  # the cache being down must not take the site down
            logger.warning("page cache: unavailable, rendering uncached")
            return view(request, *args, **kwargs)
        if entry is not None:
            return _thaw(request, entry)
        response = view(request, *args, **kwargs)
        if request.method == "GET" and _response_is_cacheable(request, response):
            try:
                cache.set(key, _freeze(response), timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: could not store a page")
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


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
