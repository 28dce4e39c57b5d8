"""The production-like stack `make bench` measures: PostgreSQL, Redis, gunicorn, 200 meetings.

`Stack` drops and recreates a dedicated database (BENCH_DATABASE_NAME, default
`outreach_bench`; never the one in DATABASE_URL) on the server BENCH_POSTGRES_URL, migrates
it, collects static files into a temporary folder and loads the meetings; `serve()` starts
gunicorn (the repository's gunicorn.conf.py: 2 sync workers) on 127.0.0.1 and a free port with
OUTREACH_ENV=production and test secrets. Everything started is stopped on exit, and the
run's keys are removed from the Redis database (BENCH_REDIS_URL, default db 6).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_NAME = os.environ.get("BENCH_DATABASE_NAME", "outreach_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
MEETINGS = int(os.environ.get("BENCH_MEETINGS", "200"))
# Of those, how many are still to come (the rest are the history a year of outreach leaves).
UPCOMING = int(os.environ.get("BENCH_UPCOMING", "50"))
WORKERS = 2  # sync workers, as gunicorn.conf.py runs them in production

EXTRA_VENUES = [
    ("Iglesia Bautista Emanuel", "church", "3400 Bickers St", "75212"),
    ("Sunset High School", "school", "2120 W Jefferson Blvd", "75208"),
    ("Centro Comunitario Bachman", "community_center", "2750 Bachman Dr", "75220"),
    ("Biblioteca Vecinal Pleasant Grove", "library", "7310 Lake June Rd", "75217"),
    ("Parroquia Nuestra Señora de Guadalupe", "church", "2215 Ross Ave", "75201"),
]
TOPICS = [
    (
        "Community meeting with the police department",
        "Reunión comunitaria con el departamento de policía",
    ),
    ("Know your rights: questions and answers", "Conozca sus derechos: preguntas y respuestas"),
    ("Coffee with your neighborhood officers", "Café con los oficiales de su vecindario"),
    ("How to report a crime safely", "Cómo reportar un delito con seguridad"),
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """One bench run's database, settings and gunicorn processes (use as a context manager)."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="outreach-bench-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.cache_prefix = f"bench-{secrets.token_hex(4)}"
        self.server: subprocess.Popen | None = None
        self.env = self._env()

    def _env(self) -> dict[str, str]:
        from cryptography.fernet import Fernet

        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAGE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            OUTREACH_ENV="production",
            DEBUG="false",
            SECURE_SSL_REDIRECT="false",  # plain http on loopback; the proxy does TLS in production
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.base_url,
            DATABASE_URL=f"{POSTGRES_URL.rstrip('/')}/{DATABASE_NAME}",
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=self.cache_prefix,
            CONTACT_KEYS=Fernet.generate_key().decode(),
            CONTACT_DIGEST_KEY=secrets.token_urlsafe(32),
            SMS_TRANSPORT="outbox",
            DATA_DIR=str(self.tmp / "data"),
            STATIC_ROOT=str(self.tmp / "static"),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(WORKERS),
            PYTHONPATH=str(ROOT),
        )
        return env

    def __enter__(self) -> Stack:
        self._recreate_database()
        os.environ.update(self.env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        load_meetings(MEETINGS, UPCOMING)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._forget_cache()
        from django.db import connections

        connections.close_all()
        subprocess.run(["rm", "-rf", str(self.tmp)], check=False)  # noqa: S603, S607

    def _recreate_database(self) -> None:
        import psycopg2

        conn = psycopg2.connect(f"{POSTGRES_URL.rstrip('/')}/postgres")
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        conn.close()

    def _forget_cache(self) -> None:
        """Delete this run's keys only: the Redis database may be shared."""
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{self.cache_prefix}:*"))
        if keys:
            client.delete(*keys)

    @contextmanager
    def serve(self, *, page_cache: bool) -> Iterator[str]:
        """gunicorn running with the page cache on or off; yields the base URL."""
        env = dict(self.env, PAGE_CACHE_SECONDS="300" if page_cache else "0")
        log = (self.tmp / f"gunicorn-cache-{'on' if page_cache else 'off'}.log").open("wb")
        self.server = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "outreach.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_ready()
            yield self.base_url
        finally:
            self.stop()
            log.close()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server is not None and self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see its log in {self.tmp}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self) -> None:
        """Stop the gunicorn this stack started (its own process group), if any."""
        if self.server is None or self.server.poll() is not None:
            self.server = None
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()
        self.server = None


def load_venues() -> list:
    """The five demo venues (seed_demo) and five more, with notes in both languages."""
    from meetings.management.commands.seed_demo import VENUES
    from meetings.models import Venue

    specs = [
        (v["name"], v["kind"], v["street_address"], v["postal_code"], v["notes_en"], v["notes_es"])
        for v in VENUES
    ] + [
        (name, kind, street, postal, "Main hall, ground floor.", "Salón principal, planta baja.")
        for name, kind, street, postal in EXTRA_VENUES
    ]
    return [
        Venue.objects.create(
            name=name,
            kind=kind,
            street_address=street,
            city="Dallas",
            state="TX",
            postal_code=postal,
            notes_en=notes_en,
            notes_es=notes_es,
        )
        for name, kind, street, postal, notes_en, notes_es in specs
    ]


def load_meetings(count: int, upcoming: int) -> None:
    """`count` published meetings at ten venues, two a week, the last `upcoming` still to come."""
    from django.utils import timezone
    from django.utils.text import slugify

    from meetings.enums import MeetingStatus, Parking, Transit
    from meetings.management.commands.seed_demo import DESCRIPTION_EN, DESCRIPTION_ES
    from meetings.models import Meeting

    venues = load_venues()
    first = timezone.localdate() - timedelta(days=(count - upcoming) * 7 // 2)
    meetings = []
    for i in range(count):
        day = first + timedelta(days=i * 7 // 2 + (1 if i >= count - upcoming else 0))
        starts = timezone.make_aware(datetime.combine(day, time_of_day(i)))
        venue = venues[i % len(venues)]
        title_en, title_es = TOPICS[i % len(TOPICS)]
        meetings.append(
            Meeting(
                title_en=title_en,
                title_es=title_es,
                description_en=DESCRIPTION_EN,
                description_es=DESCRIPTION_ES,
                host_en="Interim Chief of Police",
                host_es="Jefe de Policía interino",
                venue=venue,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                status=MeetingStatus.CANCELLED if i % 23 == 5 else MeetingStatus.SCHEDULED,
                published=True,
                spoken_languages=["es", "en"],
                interpretation=i % 3 == 0,
                step_free_access=i % 5 != 4,
                parking=Parking.FREE_LOT,
                transit=Transit.BUS_NEAR,
                slug=slugify(f"{venue.name} {day:%Y-%m-%d}"),  # as Meeting.save makes it
            )
        )
    Meeting.objects.bulk_create(meetings)  # no save(): one query, no page-cache signals


def time_of_day(i: int) -> dt_time:
    """Saturday-morning and weekday-evening sessions, alternating."""
    return dt_time(10, 0) if i % 2 == 0 else dt_time(18, 30)


def a_meeting_path(language: str = "es") -> str:
    """The page of the first upcoming scheduled meeting, in `language`."""
    from django.utils import translation

    from meetings.enums import MeetingStatus
    from meetings.models import Meeting

    meeting = Meeting.objects.upcoming().filter(status=MeetingStatus.SCHEDULED).first()
    with translation.override(language):
        return meeting.get_absolute_url()
