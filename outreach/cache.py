"""The shared cache: Django's Redis backend made safe to lose, and a failover cache for counters.

Three things keep a dead or hung Redis from taking pages down with it:

- every socket has a short timeout (`REDIS_SOCKET_TIMEOUT`, 0.25 s), so a hung server costs a
  request a quarter of a second, not Redis-py's default five;
- a per-process circuit breaker: after one failure Redis is not tried again for
  `REDIS_BREAKER_SECONDS`, so the following requests fail in microseconds instead of each
  waiting for its own timeout;
- `FailoverCache`, used for rate-limit counters and the like, writes to the database cache while
  Redis is unreachable, so the limits that protect residents hold through an outage.

The backend also reuses one redis-py client per pool: Django's builds one per call, costing as
much CPU as the call itself.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

import redis
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)

# Seconds; settings.CACHES OPTIONS may override each (see settings.py).
DEFAULT_SOCKET_TIMEOUT = 0.25
DEFAULT_BREAKER_SECONDS = 5.0
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class CircuitBreaker:
    """Open for `cooldown` seconds after a failure: calls fail at once instead of waiting."""

    def __init__(self, cooldown: float = DEFAULT_BREAKER_SECONDS) -> None:
        self.cooldown = cooldown
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, error: BaseException) -> None:
        with self._lock:
            was_closed = not self.is_open()
            self._open_until = time.monotonic() + self.cooldown
        if was_closed:
            # The class only: a message may hold the URL and its password.
            logger.warning(
                "Redis unreachable (%s): not tried again for %.0f s",
                type(error).__name__,
                self.cooldown,
            )

    def reset(self) -> None:
        self._open_until = 0.0


# One per process, shared by the cache and anything else that talks to the same Redis
# (the health check, the subscribe form before it queues a task).
BREAKER = CircuitBreaker()


class CircuitOpen(redis.exceptions.ConnectionError):
    """Redis failed a moment ago; not tried again until the breaker closes."""


class GuardedConnection(redis.connection.Connection):
    """A redis-py connection that respects BREAKER and trips it on a failure or timeout."""

    def connect(self, *args: Any, **kwargs: Any) -> None:
        self._check()
        try:
            super().connect(*args, **kwargs)
        except REDIS_ERRORS as error:
            BREAKER.trip(error)
            raise

    def send_packed_command(self, *args: Any, **kwargs: Any) -> None:
        self._check()
        try:
            super().send_packed_command(*args, **kwargs)
        except REDIS_ERRORS as error:
            BREAKER.trip(error)
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().read_response(*args, **kwargs)
        except REDIS_ERRORS as error:
            BREAKER.trip(error)
            raise

    @staticmethod
    def _check() -> None:
        if BREAKER.is_open():
            raise CircuitOpen("Redis circuit open")


class RedisCacheClient(DjangoRedisCacheClient):
    """Django's client, with one redis.Redis per connection pool, built on first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """The shared client for the pool Django would pick for this call."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES BACKEND "outreach.cache.RedisCache": short timeouts, a breaker, one
    client per pool."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        options = dict(self._options)
        breaker_seconds = options.pop("breaker_seconds", None)
        if breaker_seconds is not None:
            BREAKER.cooldown = float(breaker_seconds)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("connection_class", GuardedConnection)
        self._options = options


class FailoverCache(BaseCache):
    """The `primary` cache while it answers, the `fallback` cache (the database) while it
    does not. For counters that must hold through a Redis outage: rate limits, "at most once
    a day" replies. OPTIONS: {"primary": "default", "fallback": "database"}."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._primary = options.get("primary", "default")
        self._fallback = options.get("fallback", "database")

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if not BREAKER.is_open():
            try:
                return getattr(caches[self._primary], method)(*args, **kwargs)
            except REDIS_ERRORS as error:
                BREAKER.trip(error)
        return getattr(caches[self._fallback], method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def clear(self):
        for alias in (self._primary, self._fallback):
            with contextlib.suppress(REDIS_ERRORS):
                caches[alias].clear()
