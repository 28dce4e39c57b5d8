"""`/healthz` for load balancers and compose: is the database, the cache and the broker up?

The answer is JSON with no personal data, never cached, and outside the language prefixes.
Every probe is bounded: Redis calls give up after REDIS_SOCKET_TIMEOUT (a fraction of a
second) with no retries, and a Redis that failed a moment ago (the circuit breaker in
outreach/cache.py is open) is reported at once without waiting on it again.
"""

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection
from redis.backoff import NoBackoff
from redis.retry import Retry

from outreach.cache import BREAKER, CircuitOpen
from reminders import heartbeat

logger = logging.getLogger(__name__)

# A health check must answer fast even when a dependency hangs: seconds per Redis probe.
TIMEOUT = 0.5


# PostgreSQL: seconds to open a connection (libpq's connect_timeout; 2 is its minimum).
DATABASE_TIMEOUT = 2


def check_database() -> None:
    """Raise if the default database cannot answer a trivial query. On PostgreSQL the probe
    opens its own connection with a connect timeout: the process's persistent connection
    would wait on a hung server for as long as it hangs (the operator's audit saw /healthz
    give no answer until gunicorn killed the worker)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return
    probe = connections.create_connection(DEFAULT_DB_ALIAS)  # its own, short-lived connection
    options = {**probe.settings_dict.get("OPTIONS", {}), "connect_timeout": DATABASE_TIMEOUT}
    probe.settings_dict = {**probe.settings_dict, "OPTIONS": options}
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        probe.close()


def check_cache() -> None:
    """Raise if the shared cache (Redis in production) cannot store and return a value."""
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value it stored")


def broker_url() -> str:
    """The Celery broker the worker and beat use (Redis when REDIS_URL is set)."""
    return getattr(settings, "CELERY_BROKER_URL", "") or settings.REDIS_URL


def check_broker() -> None:
    """Raise if the Celery broker does not answer."""
    url = broker_url()
    if not url:
        return  # Celery's in-memory default: nothing outside this process to reach
    if url.startswith(("redis://", "rediss://")):
        if url == settings.REDIS_URL and BREAKER.is_open():
            raise CircuitOpen("Redis failed a moment ago")
        timeout = min(TIMEOUT, getattr(settings, "REDIS_SOCKET_TIMEOUT", TIMEOUT))
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # redis-py retries 3 times with backoff by default
        )
        try:
            client.ping()
        finally:
            client.close()
        return
    with Connection(url, connect_timeout=TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", ...} when every dependency answers, 503 "error" otherwise."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is an "error", never a 500
            # The class name only: messages may hold a connection URL with its password.
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    body: dict = {"status": "ok" if healthy else "error", "checks": results}
    # For the operator's alerting, not the load balancer: a stopped worker or beat leaves
    # this web instance able to serve, so it does not change the status code. Always there,
    # so a monitor reading dispatcher.state never breaks ("unknown" while the cache is down).
    body["dispatcher"] = (
        heartbeat.dispatcher_state()
        if results["cache"] == "ok"
        else {"state": "unknown", "last_run_seconds_ago": None}
    )
    return JsonResponse(
        body,
        status=200 if healthy else 503,
    )


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect.

    Load balancers and the compose health check call it by the container's address over plain
    HTTP; ALLOWED_HOSTS and SECURE_SSL_REDIRECT would otherwise turn that into a 400 or a 301.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
