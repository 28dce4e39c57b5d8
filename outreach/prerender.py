"""Public pages rendered when staff save, not when the next visitor asks for them.

A staff save sets a new page-cache version (outreach/pagecache.py), so every kept page is
stale at once. Until now the first visitor of each page after a save paid for its render (2
to 3 ms of CPU, against 0.4 ms for a kept page): in a viral moment, with staff correcting a
meeting, every correction put that cost in front of the crowd. Now the process that saved
renders the pages the change touched, right after the commit and the new version: the
questions, privacy and upcoming pages and the page of each changed meeting still to come, in
every language. Each is rendered through the site's own middleware, as a visit with no
cookie from SITE_URL's address would be, so the page cache keeps exactly what a visitor's
miss would have kept; every process then finds it in the shared cache. A change still shows
at once: nothing old is served while this runs (a visitor who comes in those few
milliseconds renders the page as before).

Several saves in one transaction (an admin form with its inlines, a bulk reschedule) render
once, after the commit. A page that fails to render is logged and left to its next visitor:
the save itself never fails because of this.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http.request import validate_host
from django.urls import reverse
from django.utils import timezone, translation

from outreach import pagecache
from outreach.pagecache import PRERENDER

logger = logging.getLogger(__name__)

# Pages that show no particular meeting, rendered after every change.
SITE_PAGES = ("meetings:upcoming", "meetings:faq", "meetings:privacy")
# At most this many meetings' pages per change (a venue with a season of meetings): the
# soonest first; later ones are rendered by their first visitor, as before.
MEETINGS_PER_CHANGE = 10
# The saving request waits at most about this long: past it (a slow Redis, a venue with many
# meetings in many languages), the pages left are rendered by their first visitor.
TIME_BUDGET_SECONDS = 1.0


class PagesToRender:
    """What one transaction changed, rendered once after it commits (on_commit callback)."""

    def __init__(self) -> None:
        self.meeting_ids: set[int] = set()
        self.venue_ids: set[int] = set()
        self.answers = 0
        self.done = False  # once run, a later save needs its own (tests run callbacks early)

    def add(self, instance: Any) -> None:
        label = instance._meta.label
        if label == "meetings.Meeting":
            self.meeting_ids.add(instance.pk)
        elif label == "meetings.Venue":
            self.venue_ids.add(instance.pk)
        else:
            self.answers += 1

    def __str__(self) -> str:
        """What changed, for the log line (ids only)."""
        parts = [
            f"{kind} {', '.join(str(pk) for pk in sorted(ids))}"
            for kind, ids in (("meeting", self.meeting_ids), ("venue", self.venue_ids))
            if ids
        ]
        if self.answers:
            parts.append("the department's answers")
        return "; ".join(parts)

    def __call__(self) -> None:
        self.done = True
        # The new version first: what is rendered next is kept under it. If the cache cannot
        # take it, nothing could be kept either (pagecache.py tries the version again).
        stored = pagecache.invalidate_pages()
        if stored and settings.PAGE_CACHE_SECONDS > 0 and settings.RENDER_PAGES_ON_SAVE:
            render_pages(page_paths(self.meeting_ids, self.venue_ids), change=str(self))


def after_change(instance: Any, using: str | None) -> None:
    """Called for each save or delete of a public model: render its pages after the commit.

    One PagesToRender per transaction: a later save in the same transaction joins the one
    already waiting (Django keeps the transaction's callbacks in `run_on_commit`; one
    registered in a savepoint that was rolled back is gone from it, so a new one is made).
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, PagesToRender) and not callback.done:
                callback.add(instance)
                return
    pages = PagesToRender()
    pages.add(instance)
    transaction.on_commit(pages, using=using)


def page_paths(meeting_ids: Iterable[int] = (), venue_ids: Iterable[int] = ()) -> list[str]:
    """The addresses to render, most visited first: in every language the upcoming list and
    the pages of the given meetings (and of the meetings at the given venues) that are
    published and to come; then the questions and privacy pages."""
    from meetings.models import Meeting

    meeting_ids, venue_ids = set(meeting_ids), set(venue_ids)
    slugs: list[str] = []
    if meeting_ids or venue_ids:
        changed = Meeting.objects.upcoming().filter(pk__in=meeting_ids) | (
            Meeting.objects.upcoming().filter(venue_id__in=venue_ids)
        )
        slugs = list(changed.values_list("slug", flat=True)[:MEETINGS_PER_CHANGE])
    first, then = [], []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            first.append(reverse(SITE_PAGES[0]))
            first += [reverse("meetings:detail", kwargs={"slug": slug}) for slug in slugs]
            then += [reverse(name) for name in SITE_PAGES[1:]]
    return first + then


def render_pages(paths: list[str], *, change: str = "") -> int:
    """Ask for each path through the site's middleware (the page cache keeps what it may),
    within TIME_BUDGET_SECONDS; returns how many answered 200. Never raises: a page left
    unrendered is only slower for its next visitor."""
    if not paths:
        return 0
    if not site_url_is_served():
        logger.warning(
            "page cache: pages not rendered after a change: SITE_URL's host is not in "
            "ALLOWED_HOSTS (manage.py check: outreach.W001, E001)"
        )
        return 0
    started = time.perf_counter()
    rendered, failed = 0, []
    # Visits switch the language and time zone as a request would: put back the caller's.
    with (
        translation.override(translation.get_language()),
        timezone.override(timezone.get_current_timezone()),
    ):
        try:
            handler = _handler()
        except Exception:
            logger.exception("page cache: could not load the middleware to render pages")
            return 0
        for done, path in enumerate(paths):
            if time.perf_counter() - started > TIME_BUDGET_SECONDS:
                failed.append(f"{len(paths) - done} left for their visitors (time budget)")
                break
            try:
                # Not response.close(): it sends request_finished, which would close the
                # database connection of the request (or task) that saved.
                response = handler.get_response(_request(path))
            except Exception:
                logger.exception("page cache: could not render %s after a change", path)
                failed.append(path)
                continue
            if response.status_code == 200:
                rendered += 1
            else:
                failed.append(f"{path} ({response.status_code})")
    # A warning when some were not: the operator learns which, and their next visitors get
    # them rendered as before.
    logger.log(
        logging.WARNING if failed else logging.INFO,
        "page cache: %d of %d pages rendered after a change to %s in %.0f ms%s",
        rendered,
        len(paths),
        change or "public pages",
        (time.perf_counter() - started) * 1000,
        f"; not rendered: {', '.join(failed[:5])}" if failed else "",
        extra={"rendered": rendered, "pages": len(paths)},
    )
    return rendered


def site_url_is_served() -> bool:
    """Whether SITE_URL's host is one the site answers (else every visit here is a 400)."""
    return validate_host(urlsplit(settings.SITE_URL).hostname or "", _allowed_hosts())


def _allowed_hosts() -> list[str]:
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:  # Django's own default then: local names only
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return allowed


_handlers: tuple[Any, BaseHandler | None] = (None, None)


def _handler() -> BaseHandler:
    """The site's middleware chain, loaded once per settings object (tests override them)."""
    global _handlers
    holder = settings._wrapped
    if _handlers[0] is not holder or _handlers[1] is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handlers = (holder, handler)
    return _handlers[1]


def _request(path: str) -> WSGIRequest:
    """A GET with no cookie, to SITE_URL's host and scheme (the page cache keys by scheme)."""
    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    port = site.port or (443 if secure else 80)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(port),
        "HTTP_HOST": site.netloc,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    # Behind the proxy, visitors' requests say https in a header, not in wsgi.url_scheme.
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if secure and proxy_header:
        environ[proxy_header[0]] = proxy_header[1]
    request = WSGIRequest(environ)
    setattr(request, PRERENDER, True)
    return request
