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
in when the page is served; tokens are minted here from one read of the system's random source
(`csrf_token_for`), the same kind of token Django's get_token() makes, a few times cheaper.
The meeting page's forms carry no token (outreach/csrf.py): it is served as stored, no cookie.

Each process also keeps the pages it served in memory (`LocalPages`) and knows the current
version without reading it on every hit (outreach/pageversion.py: pushed by Redis, or one
`stat` of the version file): a hit then costs no round trip at all, whatever the page weighs,
and a staff change still shows at once in every process.

It is the outermost middleware: a hit is answered before the request log, the security, CSP
and static-file middleware, sessions and the rest run. So a page is stored with the final
headers all of those added (CSP, Referrer-Policy, HSTS on https, X-Frame-Options,
Content-Language, Vary), keyed by scheme and path; a plain-http request the site would
redirect to https, a disallowed Host, and every address without a language prefix (/healthz,
static files, the admin) go through the whole stack as before. Hits are counted rather than
logged one by one: a line per process every few seconds says how many hits each page had
(outreach/logs.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from threading import Lock
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.functional import empty
from django.utils.http import split_header_value

from outreach.csrfmint import csrf_token_for, set_csrf_cookie
from outreach.logs import hits
from outreach.pageversion import VERSION_KEY, watch_for

logger = logging.getLogger(__name__)

# The cache alias pages live in: "pages" when settings define it (the embedded default's
# files), else "default" (Redis in production).
PAGES_ALIAS = "pages"
CSRF_MARKER = b"@@csrf-token@@"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
# Set on the request by @cache_public_page: the view that answered may be cached.
CACHEABLE_VIEW = "_page_cache_view"
# Set on the request when the page was looked for and not found (read by the request log).
LOOKED_UP = "_page_cache_looked_up"
# Set by outreach/prerender.py on the requests it makes after a staff save.
PRERENDER = "_prerender"
# Senders whose saves change public pages (app_label.ModelName, resolved lazily).
PUBLIC_MODELS = ("meetings.Meeting", "meetings.Venue", "meetings.PolicyStatement")
# What one process keeps of the pages it served (LocalPages), in bytes of content.
LOCAL_PAGES_BYTES = 32 * 2**20


def page_cache() -> BaseCache:
    """The shared cache that holds pages and their version."""
    return caches[PAGES_ALIAS if PAGES_ALIAS in settings.CACHES else "default"]


def invalidate_pages() -> bool:
    """Make every cached page stale, in every process (call after bulk updates too); False
    when the cache could not be reached: the new version is then tried again (VersionRetry)."""
    cache = page_cache()
    if _set_new_version(cache):
        return True
    logger.warning("page cache: could not set a new version; trying again every second")
    version_retry.start(cache)
    return False


def _set_new_version(cache: BaseCache) -> bool:
    try:
        cache.set(VERSION_KEY, secrets.token_hex(6), timeout=None)
        watch_for(cache).announce()
    except Exception:
        return False
    return True


class VersionRetry:
    """A new version the cache could not take (Redis unreachable for a moment, or restarted
    with its old data): tried again every RETRY_SECONDS, in a thread of this process, until it
    is stored, for at most PAGE_CACHE_SECONDS, by when every page kept before the change has
    expired (a local copy expires with the shared one: LocalPages). Without it, a blip during
    a save left the pages from before the change served, as hits, until they expired."""

    RETRY_SECONDS = 1.0

    def __init__(self) -> None:
        self.lock = Lock()
        self.threads: dict[int, threading.Thread] = {}  # by cache (tests change caches)
        self.stopping = threading.Event()

    def start(self, cache: BaseCache) -> threading.Thread:
        with self.lock:
            thread = self.threads.get(id(cache))
            if thread is None or not thread.is_alive():
                thread = threading.Thread(
                    target=self._run, args=(cache,), name="page-version-retry", daemon=True
                )
                self.threads = {k: t for k, t in self.threads.items() if t.is_alive()}
                self.threads[id(cache)] = thread
                thread.start()
            # else one is trying already: one new version will do for both changes
            return thread

    def _run(self, cache: BaseCache) -> None:
        started = time.monotonic()
        while time.monotonic() - started < max(settings.PAGE_CACHE_SECONDS, 1):
            if self.stopping.wait(self.RETRY_SECONDS):
                return
            if _set_new_version(cache):
                logger.warning(
                    "page cache: new version set %.0f s after a change the cache could not take",
                    time.monotonic() - started,
                )
                return
        logger.error(
            "page cache: a change never reached the cache; the pages kept before it have "
            "expired since"
        )

    def stop(self) -> None:
        """Stop trying (the tests, between two: each failure trips the process's breaker)."""
        self.stopping.set()
        with self.lock:
            for thread in self.threads.values():
                thread.join(timeout=2)
            self.threads = {}
        self.stopping.clear()


version_retry = VersionRetry()


def _first_version() -> str:
    """The version when none is stored yet (an empty or evicted cache)."""
    # A random start, so an evicted version key can never bring back an older page.
    cache = page_cache()
    cache.add(VERSION_KEY, secrets.token_hex(6), timeout=None)
    return str(cache.get(VERSION_KEY))


_prefixes: tuple[Any, tuple[str, ...]] = (None, ())


def _language_prefixes() -> tuple[str, ...]:
    global _prefixes
    languages, prefixes = _prefixes
    if languages is not settings.LANGUAGES:  # built once per LANGUAGES (tests change it)
        languages = settings.LANGUAGES
        prefixes = tuple(f"/{code}/" for code, _name in languages)
        _prefixes = (languages, prefixes)
    return prefixes


# Settings that decide the headers stored with a page: a deploy that changes one of them
# never serves a page kept with the old headers (they are part of the key).
HEADER_SETTINGS = (
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "CSRF_COOKIE_NAME",
)
_stamp: tuple[Any, str] = (None, "")


def _headers_stamp() -> str:
    """A short digest of HEADER_SETTINGS, computed once per settings object."""
    global _stamp
    holder = settings._wrapped  # a new object whenever settings are overridden (tests)
    if _stamp[0] is not holder:
        text = repr([getattr(settings, name, None) for name in HEADER_SETTINGS])
        _stamp = (holder, hashlib.sha256(text.encode()).hexdigest()[:12])
    return _stamp[1]


def _page_key(request: HttpRequest) -> str:
    # The path carries the language (/es/..., /en/...): no need to run LocaleMiddleware first.
    # The scheme decides headers (HSTS only on https), and so do some settings.
    address = f"{request.scheme}:{request.path}:{_headers_stamp()}"
    # "v2": entries keep their headers as Django stores them; older entries are never read.
    return "pagecache:v2:page:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _request_is_cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and is_anonymous_visit(request)
        # SecurityMiddleware redirects these to https: let it.
        and not (settings.SECURE_SSL_REDIRECT and not request.is_secure())
    )


def is_anonymous_visit(request: HttpRequest) -> bool:
    """A visit any other visitor could have made: a GET under a language prefix, with no query
    string and no cookie but the CSRF and language ones. Only these get a kept page."""
    return (
        request.method in ("GET", "HEAD")
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
    # As Django's ResponseHeaders keeps them (lower-case name: (name, value)), to copy on a hit.
    headers = {
        name.lower(): (name, value)
        for name, value in response.headers.items()
        if name.lower() != "content-length"
    }
    csrf = bool(match) or settings.CSRF_COOKIE_NAME in response.cookies
    return {
        "version": version,
        "content": content,
        "headers": headers,
        "csrf": csrf,
        "stored": time.time(),  # wall clock: the same in every process (LocalPages.put)
    }


class LocalPages:
    """Pages this process served, by cache key, with the version they were rendered under.

    Bounded by LOCAL_PAGES_BYTES (least recently used pages go first) and by the same expiry
    as the shared cache. An entry is only ever served after the shared version was read and
    found equal to the entry's, so it is never staler than the shared cache. Safe to share
    between threads (runserver's, under `make run`).
    """

    def __init__(self, budget: int = LOCAL_PAGES_BYTES) -> None:
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self.lock:
            kept = self.entries.get(key)
            if kept is None:
                return None
            if kept[0] < time.monotonic():
                self._discard(key)
                return None
            self.entries.move_to_end(key)
            return kept[1]

    def put(self, key: str, entry: dict[str, Any], seconds: int) -> None:
        size = len(entry["content"])
        # Until the shared copy expires, not `seconds` from now: a copy read from the cache
        # late in its life would otherwise outlive it (by up to twice PAGE_CACHE_SECONDS).
        left = seconds - max(0.0, time.time() - entry.get("stored", time.time()))
        with self.lock:
            self._discard(key)
            if size > self.budget or left <= 0:
                return
            self.entries[key] = (time.monotonic() + left, entry)
            self.used += size
            while self.used > self.budget:
                self._discard(next(iter(self.entries)))

    def _discard(self, key: str) -> None:
        kept = self.entries.pop(key, None)
        if kept is not None:
            self.used -= len(kept[1]["content"])


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let PageCacheMiddleware keep this view's page in the shared cache (per path, language)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        setattr(request, CACHEABLE_VIEW, True)
        return view(request, *args, **kwargs)

    return wrapper


class PageCacheMiddleware:
    """Answer anonymous visits to cached public pages from the cache; store pages it may keep.

    Place it first in MIDDLEWARE, so a hit skips everything after it (module docstring); the
    request still has its Host checked, as CommonMiddleware would.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django's own code reads the visitor's CSRF cookie and sets it on a hit.
        self.csrf = CsrfViewMiddleware(get_response)
        self.local = LocalPages()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _request_is_cacheable(request):
            return self.get_response(request)
        request.get_host()  # a disallowed Host is refused (400) on a hit too
        key = _page_key(request)
        cache = page_cache()
        try:
            local = self.local.get(key)
            if local is not None:
                # The version as this process knows it (pageversion.py): usually no round trip.
                version = watch_for(cache).current()
                if version is not None and local["version"] == version:
                    return self._hit(request, local)
            found = cache.get_many([VERSION_KEY, key])  # one round trip
            version = found.get(VERSION_KEY)
            entry = found.get(key)
            if version is not None and entry is not None and entry["version"] == version:
                self.local.put(key, entry, settings.PAGE_CACHE_SECONDS)
                return self._hit(request, entry)
            version = version if version is not None else _first_version()
        except Exception:  # the cache being down must not take the site down
            logger.warning("page cache: unavailable, rendering uncached")
            return self.get_response(request)
        setattr(request, LOOKED_UP, True)  # the request log says "miss" when it is stored
        # The version read before rendering: a page rendered from rows a staff save is
        # replacing is stored under the old version, never served once the new one is set.
        response = self.get_response(request)
        if (
            request.method == "GET"
            and getattr(request, CACHEABLE_VIEW, False)
            and _response_is_cacheable(request, response)
        ):
            entry = _freeze(response, version)
            try:
                cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: could not store a page")
            else:
                if not getattr(request, PRERENDER, False):  # visitors come through the site's
                    self.local.put(key, entry, settings.PAGE_CACHE_SECONDS)  # own handler
            response["X-Page-Cache"] = "miss"
        return response

    def _hit(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        if not getattr(request, PRERENDER, False):  # a visit, not a page rendered ahead
            hits.add(request.path)  # counted, not a line each (outreach/logs.py)
        return self._thaw(request, entry)

    def _thaw(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        """A fresh response from a cache entry, with this visitor's own CSRF token and cookie."""
        content = entry["content"]
        if entry["csrf"]:
            # The visitor's secret from a well-formed cookie, else a new one (as on a miss).
            self.csrf.process_request(request)
            content = content.replace(CSRF_MARKER, csrf_token_for(request).encode())
        response = HttpResponse(content)
        # The stored headers were checked when the page was rendered: copied as they are.
        response.headers._store.update(entry["headers"])
        response["Content-Length"] = str(len(content))
        response["X-Page-Cache"] = "hit"
        if entry["csrf"]:
            set_csrf_cookie(request, response)  # the cookie, renewed or new
        return response


def _public_data_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A meeting or venue was saved or deleted: drop cached pages now and after the commit.

    Now, so the same process sees the change at once; after the commit too, because a page
    rendered between the two from the old rows could otherwise be stored under the new version.
    After the commit, the pages the change touched are rendered again at once (prerender.py).
    """
    from outreach import prerender

    invalidate_pages()
    prerender.after_change(instance, using=kwargs.get("using"))


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
