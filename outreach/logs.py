"""One log line per request and per Celery task, with nothing that could identify a resident.

Request lines carry the method, the path without its query string (forms and links never put
contact data in a path, and secret tokens in a path are masked), the status and the time taken;
never the query string, the body, the client's address or its user agent. Task lines carry the
task's name, id, outcome and time; never its arguments.
"""

from __future__ import annotations

import logging
import logging.config
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from celery import signals
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

if TYPE_CHECKING:  # imported by outreach.celery before Django is set up
    from django.http import HttpRequest, HttpResponse

request_logger = logging.getLogger("outreach.request")
task_logger = logging.getLogger("outreach.task")

# Hits of the page cache are counted per page and written as one line per process, at most this
# often, within this many seconds of a hit (a line per hit cost as much as the rest of the hit).
HIT_LOG_SECONDS = 10.0
# URL arguments whose value may be shown in a log: everything else (tokens, codes) is masked.
PUBLIC_URL_KWARGS = frozenset({"slug", "lang", "language"})
MASK = "[masked]"


class UTCFormatter(logging.Formatter):
    """Times in UTC, ISO 8601 with milliseconds and a Z: gunicorn's master writes before Django
    sets the process's zone to Chicago, so local stamps from two processes disagreed by hours."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class JsonFormatter(UTCFormatter, BaseJsonFormatter):
    """python-json-logger's formatter, minus the Django `request` object some records carry.

    `django.request` attaches the request to error records; its text is the full path with the
    query string, which may hold contact data typed into a form.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__(*args, **kwargs)


def loggable_path(request: HttpRequest) -> str:
    """The request's path with no query string and with secret URL arguments masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name not in PUBLIC_URL_KWARGS and str(value):
                path = path.replace(str(value), MASK)
    return path


class RequestLogMiddleware:
    """Log one line per request (outermost but for the page cache, which logs its own hits)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        cache = response.get("X-Page-Cache", "")
        if not cache and getattr(request, "_page_cache_looked_up", False):
            cache = "miss"  # looked for, not kept (the page cache answers outside this one)
        note = ""
        if getattr(request, "_prerender", False):  # asked for by a staff save (prerender.py)
            cache = "prerendered" if cache == "miss" else "prerendered, not kept"
            note = " (rendered after a staff save, not a visit)"
        path = loggable_path(request)
        log_request(request.method, path, response.status_code, started, cache, note)
        return response


def log_request(
    method: str, path: str, status: int, started: float, cache: str = "", note: str = ""
) -> None:
    """The request line: also written by the page cache for the hits it answers before us."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    request_logger.info(
        "%s %s %s %sms%s",
        method,
        path,
        status,
        duration_ms,
        note,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "cache": cache,
        },
    )


class HitTally:
    """Page-cache hits counted per path; one line with the counts HIT_LOG_SECONDS after the
    first hit it counts.

    The page cache answers before RequestLogMiddleware, so hits are not in the per-request
    lines: this line says how many there were, of which public page, and nothing else. The
    first hit after a line arms a timer (a daemon thread of this process, started again after
    a fork), so the line is written at most HIT_LOG_SECONDS after a hit even when no request
    follows (a gunicorn sync worker waiting in accept() still runs it); what is left when a
    worker exits is written by gunicorn.conf.py's worker_exit.
    """

    def __init__(self, seconds: float = HIT_LOG_SECONDS) -> None:
        self.seconds = seconds
        self.counts: dict[str, int] = {}
        self.since = time.monotonic()
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.timer_pid = 0

    def add(self, path: str) -> None:
        with self.lock:
            if self.timer is None or self.timer_pid != os.getpid():
                self._arm()
            self.counts[path] = self.counts.get(path, 0) + 1

    def _arm(self) -> None:
        """The first hit since the last line: start the timer that writes the next one."""
        if self.timer_pid != os.getpid():
            self.counts = {}  # a forked child's copy: its parent writes those
        self.since = time.monotonic()
        timer = threading.Timer(self.seconds, self.flush)
        timer.daemon = True  # never keeps a process from exiting (worker_exit flushes)
        timer.name = "page-cache-hit-log"
        self.timer, self.timer_pid = timer, os.getpid()
        timer.start()

    def flush(self) -> None:
        """Write the line now (the timer, a worker exiting, or a test), if there were hits."""
        now = time.monotonic()
        with self.lock:
            counts, seconds = self.counts, now - self.since
            self.counts, self.since = {}, now
            timer, self.timer = self.timer, None
        if timer is not None and timer is not threading.current_thread():
            timer.cancel()
        if counts:
            total = sum(counts.values())
            request_logger.info(
                "page cache: %s hits in %.1f s",
                total,
                seconds,
                extra={
                    "cache": "hit",
                    "hits": total,
                    "seconds": round(seconds, 1),
                    "pages": counts,
                },
            )


# gunicorn.conf.py writes what is left when a worker exits.
hits = HitTally()


# --- Celery -------------------------------------------------------------------------------

_task_started: dict[str, float] = {}


@signals.setup_logging.connect
def use_django_logging(**kwargs: Any) -> None:
    """Keep Django's LOGGING in the worker and beat (Celery would install its own format)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.task_prerun.connect
def note_task_start(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def log_task_end(
    task_id: str | None = None, task: Any = None, state: str | None = None, **kwargs: Any
) -> None:
    """One line per task run: name, id, final state, retries and time; never its arguments."""
    started = _task_started.pop(task_id or "", None)
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    name = getattr(task, "name", "unknown")
    retries = getattr(getattr(task, "request", None), "retries", 0) or 0
    task_logger.info(
        "task %s %s %s %sms",
        name,
        task_id,
        state,
        duration_ms,
        extra={
            "task": name,
            "task_id": task_id,
            "state": state,
            "retries": retries,
            "duration_ms": duration_ms,
        },
    )
