"""Real gunicorn (2 sync workers, PostgreSQL, 200 meetings) with Redis stopped, then hung.

"Hung" is a socket that accepts connections and never answers a byte, as a Redis stopped with
SIGSTOP does; "stopped" is a port nobody listens on. For each: the time of single requests to
the public pages, the "remind me" form (a real post, with the Origin header a browser sends)
and /healthz, then requests per second on a meeting page from 8 concurrent clients for 10 s.

    BENCH_DATABASE_NAME=outreach_outage .venv/bin/python bench/redis_outage.py

(bench/stack.py: a dedicated database, dropped and recreated; never the one in DATABASE_URL.)
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import ROOT, Stack, a_meeting_path  # noqa: E402

LOAD_SECONDS = 10
CLIENTS = 8


@contextmanager
def broken_redis(kind: str):
    """A redis:// URL that is stopped (nothing listens) or hung (accepts, never answers)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    if kind == "hung":
        sock.listen(1024)
    else:
        sock.close()
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        sock.close()


def timed(
    opener, url: str | urllib.request.Request, data: bytes | None = None
) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with opener.open(url, data=data, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def remind_me(base: str, path: str, phone: str) -> tuple[int, float]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + path, timeout=30) as response:
        page = response.read().decode()
    form = next(part for part in page.split("<form")[1:] if 'name="phone"' in part)
    action = re.search(r'action="([^"#]+)', form).group(1)
    data = urllib.parse.urlencode(
        {  # no CSRF token on the meeting page: the Origin header below lets the post in
            "channel": "sms",
            "phone": phone,
            "language": "es",
            "scope": "one",
            "consent": "on",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        base + action, data=data, headers={"Origin": base}
    )
    return timed(opener, request)


def load(url: str) -> tuple[float, dict[int, int]]:
    """Requests per second from CLIENTS threads for LOAD_SECONDS, and the status counts."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + LOAD_SECONDS

    def client() -> None:
        opener = urllib.request.build_opener()
        while time.monotonic() < deadline:
            status, _seconds = timed(opener, url)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(statuses.values()) / LOAD_SECONDS, statuses


def serve(stack: Stack, redis_url: str) -> subprocess.Popen:
    env = dict(stack.env, REDIS_URL=redis_url, OUTREACH_ENV="local", PAGE_CACHE_SECONDS="60")
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "outreach.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stack.server = server
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # any answer will do: /healthz says 503 here
        try:
            timed(urllib.request.build_opener(), f"{stack.base_url}/healthz")
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def measure(stack: Stack, kind: str) -> None:
    base = stack.base_url
    meeting = a_meeting_path("es")
    opener = urllib.request.build_opener()
    with broken_redis(kind) as url:
        serve(stack, url)
        try:
            time.sleep(6)  # let any breaker opened during start-up close: the worst case
            rows = []
            for name, path in [("upcoming", "/es/"), ("meeting", meeting), ("healthz", "/healthz")]:
                results = [timed(opener, base + path) for _ in range(10)]
                rows.append((name, results))
            rows.append(
                ("remind me", [remind_me(base, meeting, f"713 555 01{n:02d}") for n in range(5)])
            )
            for name, results in rows:
                seconds = [s for _status, s in results]
                statuses = sorted({status for status, _s in results})
                print(
                    f"{kind:8} {name:10} status {statuses}  median {median(seconds) * 1000:6.1f} ms"
                    f"  max {max(seconds) * 1000:6.1f} ms"
                )
            rate, statuses = load(base + meeting)
            print(f"{kind:8} load       {rate:6.1f} req/s from {CLIENTS} clients  {statuses}")
        finally:
            stack.stop()


def main() -> None:
    # Production settings refuse to start without a mail server; nothing is mailed here.
    os.environ.setdefault("EMAIL_HOST", "localhost")
    with Stack() as stack:
        for kind in ("stopped", "hung"):
            measure(stack, kind)


if __name__ == "__main__":
    main()
