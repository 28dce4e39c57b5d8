"""The page cache's version, known on each hit without asking the shared cache every time.

Every kept page records the version it was rendered under, and a staff save sets a new one
(outreach/pagecache.py). Reading the version from Redis on every hit was the largest part of
a hit's cost (a round trip, two system calls). Instead each process remembers the version and
is *told* when it changes:

- Redis (production): saving a new version also publishes on a channel every process
  subscribes to. A hit only checks, without waiting, whether anything arrived on that
  connection (a poll of a socket already open); if it did, or the subscription is not working,
  the version is read again. `announce` publishes, then makes one more round trip: Redis
  writes to every subscriber in the same pass that answers the publish, so once the second
  answer is back, the news is already waiting in every other process's socket on this host.
  A staff change therefore shows at once, in every process.
- Files (the embedded default, `make run`): the version is a small file replaced whole on each
  change; a hit compares the file's inode, time and size (one `stat`) with those it last read.
- Anything else (the tests' local-memory cache): read on every hit, as before.

Whatever the push says, the version is read again at least every TRUST_SECONDS, so a lost
message (a connection cut without a word) cannot keep an old page in use for longer than that.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
import weakref
from typing import Any

from django.core.cache import BaseCache

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
CHANNEL = "pagecache:changed"
TRUST_SECONDS = 1.0


class VersionWatch:
    """Reads the version from the shared cache on every call (any cache backend)."""

    def __init__(self, cache: BaseCache) -> None:
        self.cache = cache

    def current(self) -> Any:
        """The version now in the shared cache (None when none is stored yet)."""
        return self.cache.get(VERSION_KEY)

    def announce(self) -> None:
        """Called after a new version was stored: tell every process, this one included."""


class FileVersionWatch(VersionWatch):
    """FileBasedCache: the version file is replaced whole (a new inode) on every change."""

    def __init__(self, cache: BaseCache) -> None:
        super().__init__(cache)
        self.path = cache._key_to_file(VERSION_KEY)
        self.known: tuple[tuple[int, int, int], Any, float] | None = None

    def current(self) -> Any:
        try:
            stat = os.stat(self.path)
        except OSError:  # none stored yet, or culled: read (and start) it the usual way
            self.known = None
            return super().current()
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        known, now = self.known, time.monotonic()
        if known is not None and known[0] == stamp and now < known[2]:
            return known[1]
        # Replaced between the stat and the read: the next stat differs, and it is read again.
        version = super().current()
        self.known = (stamp, version, now + TRUST_SECONDS) if version is not None else None
        return version

    def announce(self) -> None:
        self.known = None


class RedisVersionWatch(VersionWatch):
    """outreach.cache.RedisCache: the version is pushed on a pub/sub channel (module docstring)."""

    def __init__(self, cache: Any) -> None:
        super().__init__(cache)
        client = cache._cache.get_client(write=True)
        db = client.connection_pool.connection_kwargs.get("db", 0)
        # Channels are shared by all of a Redis server's databases: name this one's.
        self.channel = f"{cache.make_and_validate_key(CHANNEL)}:db{db}"
        self.lock = threading.Lock()
        self.pubsub: Any = None
        self.poll: Any = None  # select.poll on the subscription's socket
        self.pid = 0
        self.known: tuple[Any, float] | None = None

    def current(self) -> Any:
        with self.lock:
            if self._told_or_deaf():
                self.known = None
            known, now = self.known, time.monotonic()
            if known is not None and now < known[1]:
                return known[0]
            version = super().current()
            # Trusted only while listening: what changes from now on will be heard.
            listening = self.pubsub is not None and version is not None
            self.known = (version, now + TRUST_SECONDS) if listening else None
            return version

    def announce(self) -> None:
        client = self.cache._cache.get_client(write=True)
        client.publish(self.channel, b"1")
        client.ping()  # see the module docstring: the news is in every subscriber's socket now
        with self.lock:
            self.known = None

    def _told_or_deaf(self) -> bool:
        """True when a change was announced since the last read, or nothing can be heard."""
        try:
            pubsub = self._subscription()
            # Nothing buffered (read to the end last time), so the socket alone says it.
            if not self.poll.poll(0):
                return False
            if pubsub.get_message(timeout=0.0) is None:
                raise ConnectionError("page cache: the subscription's socket closed")
            while pubsub.get_message(timeout=0.0) is not None:
                pass
            return True
        except Exception:  # Redis down or the connection cut: read the version every time
            self._forget_subscription()
            return True

    def _subscription(self) -> Any:
        if self.pubsub is not None and self.pid == os.getpid():
            return self.pubsub
        self.pubsub = None  # a parent process's connection is never used (gunicorn forks)
        pubsub = self.cache._cache.get_client().pubsub()
        pubsub.subscribe(self.channel)
        confirmed = pubsub.get_message(timeout=1.0)
        if not confirmed or confirmed.get("type") != "subscribe":
            pubsub.close()
            raise ConnectionError("page cache: no subscription confirmed")
        self.poll = select.poll()
        self.poll.register(pubsub.connection._sock, select.POLLIN | select.POLLERR | select.POLLHUP)
        self.pubsub, self.pid = pubsub, os.getpid()
        return pubsub

    def _forget_subscription(self) -> None:
        pubsub, self.pubsub = self.pubsub, None
        if pubsub is not None and self.pid == os.getpid():
            try:
                pubsub.close()
            except Exception:
                logger.debug("page cache: closing a broken subscription failed")


_watches: weakref.WeakKeyDictionary[BaseCache, VersionWatch] = weakref.WeakKeyDictionary()
_watches_lock = threading.Lock()


def watch_for(cache: BaseCache) -> VersionWatch:
    """The one VersionWatch of this process for this cache object."""
    watch = _watches.get(cache)
    if watch is None:
        with _watches_lock:
            watch = _watches.get(cache)
            if watch is None:
                watch = _watches[cache] = _new_watch(cache)
    return watch


def _new_watch(cache: BaseCache) -> VersionWatch:
    from django.core.cache.backends.filebased import FileBasedCache

    from outreach.cache import RedisCache

    if isinstance(cache, RedisCache):
        return RedisVersionWatch(cache)
    if isinstance(cache, FileBasedCache):
        return FileVersionWatch(cache)
    return VersionWatch(cache)
