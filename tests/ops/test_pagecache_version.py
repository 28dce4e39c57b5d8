"""A cached hit asks nobody for the version, and a staff change still shows at once everywhere.

Two cache clients stand for two processes (each its own connections to Redis, its own
subscription), or two FileBasedCache objects on the same folder for two local processes.
"""

import os
import secrets

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.test import Client

from outreach.cache import RedisCache
from outreach.pageversion import VERSION_KEY, watch_for
from tests.factories import MeetingFactory

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL)")


class Counted:
    """Counts a cache object's reads of the version."""

    def __init__(self, cache, monkeypatch):
        self.reads = 0
        original = cache.get

        def get(key, *args, **kwargs):
            if key == VERSION_KEY:
                self.reads += 1
            return original(key, *args, **kwargs)

        monkeypatch.setattr(cache, "get", get)


def redis_cache(prefix):
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


def change(cache):
    """What invalidate_pages does in the process where staff saved."""
    version = secrets.token_hex(6)
    cache.set(VERSION_KEY, version, timeout=None)
    watch_for(cache).announce()
    return version


@needs_redis
def test_a_staff_change_in_one_process_shows_at_once_in_another_without_a_read_per_hit(
    monkeypatch,
):
    prefix = f"test-{secrets.token_hex(4)}"
    staff, visitor = redis_cache(prefix), redis_cache(prefix)
    first = change(staff)
    reads = Counted(visitor, monkeypatch)
    watch = watch_for(visitor)
    assert watch.current() == first
    for _ in range(50):  # hits: the version is known, nothing is read
        assert watch.current() == first
    assert reads.reads == 1
    for _ in range(3):  # each save is seen by the very next hit in the other process
        version = change(staff)
        assert watch.current() == version
    assert reads.reads == 4
    staff.clear()


@needs_redis
def test_a_lost_subscription_means_reading_the_version_on_every_hit(monkeypatch):
    prefix = f"test-{secrets.token_hex(4)}"
    staff, visitor = redis_cache(prefix), redis_cache(prefix)
    first = change(staff)
    reads = Counted(visitor, monkeypatch)
    watch = watch_for(visitor)
    assert watch.current() == first
    watch.pubsub.connection.disconnect()  # Redis restarted, or the connection was cut
    second = change(staff)  # published while nobody in that process listens
    assert watch.current() == second
    assert reads.reads == 2
    staff.clear()


@needs_redis
def test_other_redis_databases_and_prefixes_do_not_share_the_channel():
    one = watch_for(redis_cache("one"))
    other = watch_for(RedisCache(REDIS_URL.rsplit("/", 1)[0] + "/15", {"KEY_PREFIX": "one"}))
    assert one.channel != watch_for(redis_cache("two")).channel
    assert one.channel != other.channel


def test_a_local_process_sees_another_ones_change_from_the_version_file(tmp_path, monkeypatch):
    staff = FileBasedCache(str(tmp_path), {})
    visitor = FileBasedCache(str(tmp_path), {})
    first = change(staff)
    reads = Counted(visitor, monkeypatch)
    watch = watch_for(visitor)
    assert watch.current() == first
    for _ in range(50):
        assert watch.current() == first
    assert reads.reads == 1
    for _ in range(3):
        version = change(staff)
        assert watch.current() == version
    assert reads.reads == 4


def test_a_deleted_version_file_is_noticed(tmp_path):
    staff = FileBasedCache(str(tmp_path), {})
    visitor = FileBasedCache(str(tmp_path), {})
    change(staff)
    watch = watch_for(visitor)
    assert watch.current() is not None
    staff.delete(VERSION_KEY)  # culled, or the folder emptied
    assert watch.current() is None


@pytest.mark.django_db
def test_hits_are_counted_in_one_log_line_not_one_each(client, settings, caplog, frozen_now):
    from outreach import logs

    settings.PAGE_CACHE_SECONDS = 60
    MeetingFactory()
    logs.hits.flush()
    client.get("/es/")  # miss: its own line, as every rendered page
    caplog.set_level("INFO", logger="outreach.request")
    caplog.clear()
    for _ in range(3):
        assert client.get("/es/")["X-Page-Cache"] == "hit"
    client.get("/en/")
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    assert [r for r in caplog.records if getattr(r, "path", "").startswith("/")] == [
        r for r in caplog.records if r.getMessage().startswith("GET /en/ 200")
    ]
    logs.hits.flush()
    tally = caplog.records[-1]
    assert tally.pages == {"/es/": 3, "/en/": 1} and tally.hits == 4


@pytest.mark.django_db
def test_a_cached_page_over_plain_http_is_still_redirected_to_https(settings, frozen_now):
    settings.PAGE_CACHE_SECONDS = 60
    settings.SECURE_HSTS_SECONDS = 3600
    MeetingFactory()
    secure = Client()
    assert secure.get("/es/", secure=True)["X-Page-Cache"] == "miss"
    hit = secure.get("/es/", secure=True)
    assert hit["X-Page-Cache"] == "hit"
    assert "Strict-Transport-Security" in hit  # stored with the page rendered over https
    settings.SECURE_SSL_REDIRECT = True
    plain = Client().get("/es/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
