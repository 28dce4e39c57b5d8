"""The operator's finding: after a burst of page-cache hits and then silence, the hit counts
reached the log only with the next request (11 minutes later in their run). The line is now
written within HIT_LOG_SECONDS of a hit, with no request needed, by every process.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from outreach import logs
from tests.ops.stack import ROOT, free_port, wait_until


class Lines(logging.Handler):
    """The request logger's records, with an event set when a hit line arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.arrived = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if getattr(record, "hits", None):
            self.arrived.set()


@pytest.fixture
def lines():
    handler = Lines()
    logs.request_logger.addHandler(handler)
    level = logs.request_logger.level
    logs.request_logger.setLevel(logging.INFO)
    yield handler
    logs.request_logger.removeHandler(handler)
    logs.request_logger.setLevel(level)


def test_a_burst_of_hits_is_written_without_a_later_request(lines):
    tally = logs.HitTally(seconds=0.05)
    for _ in range(3):
        tally.add("/es/")
    tally.add("/en/")
    # Nothing else happens in this process: no request, no call. The line comes by itself.
    assert lines.arrived.wait(timeout=30), "the hit counts never reached the log"
    (line,) = [r for r in lines.records if getattr(r, "hits", None)]
    assert line.pages == {"/es/": 3, "/en/": 1} and line.hits == 4
    assert tally.counts == {} and tally.timer is None


def test_the_next_burst_gets_its_own_line(lines):
    tally = logs.HitTally(seconds=0.05)
    tally.add("/es/")
    assert lines.arrived.wait(timeout=30)
    lines.arrived.clear()
    tally.add("/en/")
    tally.add("/en/")
    assert lines.arrived.wait(timeout=30)
    counted = [r.pages for r in lines.records if getattr(r, "hits", None)]
    assert counted == [{"/es/": 1}, {"/en/": 2}]


def test_a_line_written_early_leaves_nothing_for_the_timer(lines):
    tally = logs.HitTally(seconds=3600)
    tally.add("/es/")
    timer = tally.timer
    tally.flush()  # a worker exiting (gunicorn.conf.py's worker_exit)
    timer.join(timeout=30)
    assert not timer.is_alive()  # cancelled: it will not write an empty or second line
    assert [r.pages for r in lines.records if getattr(r, "hits", None)] == [{"/es/": 1}]


@pytest.mark.slow
def test_gunicorn_sync_workers_write_the_counts_after_a_burst_and_silence(tmp_path):
    """The embedded default on the repository's gunicorn.conf.py (sync workers): two hits,
    then nothing; the counts arrive within HIT_LOG_SECONDS, with no request after them."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    for name in ("REDIS_URL", "DATABASE_URL", "SITE_URL", "CACHE_KEY_PREFIX", "PAGE_CACHE_SECONDS"):
        env.pop(name, None)
    env |= {
        "OUTREACH_ENV": "local",
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_FORMAT": "plain",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",  # both requests reach the same worker: one line with both
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "gunicorn.conf.py",
                "outreach.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        healthz = base + "/healthz"
        wait_until(lambda: urllib.request.urlopen(healthz).status == 200, 60, "/healthz")  # noqa: S310
        answers = [urllib.request.urlopen(base + "/es/") for _ in range(3)]  # noqa: S310
        assert [a.headers["X-Page-Cache"] for a in answers] == ["miss", "hit", "hit"]
        # No request from here on: the worker sits in accept() and still writes its line.
        wait_until(
            lambda: "page cache: 2 hits" in log.read_text(),
            logs.HIT_LOG_SECONDS + 20,
            "the hit counts in gunicorn's log",
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
