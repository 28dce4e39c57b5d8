"""The stacks `make bench` measures, and the vanilla floor it measures them against.

`Stack` is production-like: it drops and recreates a dedicated database (BENCH_DATABASE_NAME,
default `outreach_bench`; never the one in DATABASE_URL) on the server BENCH_POSTGRES_URL,
migrates it, collects static files into a temporary folder and loads the meetings (a year of
history, HISTORY, plus the upcoming ones); `site_server()` is gunicorn (the repository's
gunicorn.conf.py: 2 sync workers) on 127.0.0.1 and a free port with OUTREACH_ENV=production
and test secrets. The run's keys are removed from the Redis database on exit (BENCH_REDIS_URL,
default db 6). `EmbeddedStack` is `make run`'s default instead: SQLite, no Redis. Both give a
`vanilla_server()`: bench/vanilla/floor.py on the same gunicorn settings. Everything started
is stopped on exit.
"""

from __future__ import annotations

import itertools
import logging
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
# Past meetings (the history a year of outreach leaves), and the numbers of upcoming ones.
HISTORY = int(os.environ.get("BENCH_HISTORY", "150"))
UPCOMING_COUNTS = [int(n) for n in os.environ.get("BENCH_UPCOMING", "50,500").split(",")]
UPCOMING = UPCOMING_COUNTS[0]
MEETINGS = HISTORY + UPCOMING
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
        self.cache_prefix = f"bench-{secrets.token_hex(4)}"
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
            SITE_URL="http://127.0.0.1",
            DATABASE_URL=f"{POSTGRES_URL.rstrip('/')}/{DATABASE_NAME}",
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=self.cache_prefix,
            CONTACT_KEYS=Fernet.generate_key().decode(),
            CONTACT_DIGEST_KEY=secrets.token_urlsafe(32),
            SMS_TRANSPORT="outbox",
            # Production refuses to start without a mail server (deploy checks); the bench
            # sends no email, so one that is never contacted will do.
            EMAIL_HOST="127.0.0.1",
            DATA_DIR=str(self.tmp / "data"),
            STATIC_ROOT=str(self.tmp / "static"),
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

        # The bench's own saves log a line per page they render: the report is what it prints.
        logging.getLogger("outreach").setLevel(logging.WARNING)
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
        server = self.site_server(page_cache=page_cache)
        with server:
            yield server.base_url

    def site_server(self, *, page_cache: bool, keep_rendered: str = "all") -> Server:
        """The site on its own port, with the page cache on or off (not started yet), keeping
        what it rendered by content as KEEP_RENDERED says (outreach/fragments.py)."""
        env = dict(self.env, PAGE_CACHE_SECONDS="300" if page_cache else "0")
        env["KEEP_RENDERED"] = keep_rendered
        name = f"site-cache-{'on' if page_cache else 'off'}-keep-{keep_rendered}"
        return Server(name, env, self.tmp, ["outreach.wsgi"], ready_path="/healthz")

    def vanilla_server(self) -> Server:
        """The vanilla floor (bench/vanilla/floor.py) on the same gunicorn settings."""
        return vanilla_server(self.tmp)

    def reload_meetings(self, count: int, upcoming: int) -> None:
        """Replace every meeting and venue with a new set, and drop the cached pages."""
        from meetings.models import Meeting, Venue
        from outreach.pagecache import invalidate_pages

        Meeting.objects.all().delete()
        Venue.objects.all().delete()
        load_meetings(count, upcoming)
        invalidate_pages()

    def saves_command(self, meeting_path: str) -> list[str]:
        return saves_command(meeting_path)

    def saver_command(self, meeting_path: str) -> list[str]:
        return saver_command(meeting_path)

    def stop(self) -> None:
        """Nothing runs between serve() blocks; kept for callers that stop explicitly."""


class Server:
    """One gunicorn (gunicorn.conf.py: WORKERS sync workers) on 127.0.0.1 and a free port.

    A context manager: started on enter, its process group stopped on exit. `cpu_seconds()` is
    the user+system CPU its workers have used so far (from /proc), for CPU per request.
    """

    def __init__(
        self,
        name: str,
        env: dict[str, str],
        logdir: Path,
        app: list[str],
        *,
        ready_path: str,
        cwd: Path = ROOT,
    ) -> None:
        self.name = name
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = dict(env, GUNICORN_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(WORKERS))
        self.logdir = logdir
        self.app = app
        self.ready_path = ready_path
        self.cwd = cwd
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        log = (self.logdir / f"gunicorn-{self.name}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), *self.app],
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited; see its log in {self.logdir}")
            try:
                with urllib.request.urlopen(self.base_url + self.ready_path, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200 and len(self.worker_pids()) == WORKERS:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn {self.name} did not answer within {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        """The worker processes (children of gunicorn's master)."""
        if self.process is None:
            return []
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """User and system CPU seconds the workers have used since they started."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / ticks

    def stop(self) -> None:
        """Stop this gunicorn (its own process group), if it runs."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


def vanilla_server(logdir: Path) -> Server:
    """The vanilla floor: only PATH and the gunicorn variables, nothing of the site's."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "FLOOR_SECRET_KEY": secrets.token_urlsafe(50),
    }
    return Server(
        "vanilla-floor",
        env,
        logdir,
        ["floor:application"],
        ready_path="/floor",
        cwd=ROOT / "bench" / "vanilla",
    )


class EmbeddedStack:
    """`make run`'s embedded default: SQLite and the database cache in a temporary DATA_DIR,
    no Redis, OUTREACH_ENV=local; served by the same gunicorn settings as the other stack.

    Loading happens in a child process (`python bench/stack.py load ...`), since this process's
    Django is set up for the PostgreSQL stack.
    """

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="outreach-bench-embedded-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAGE_"))}
        for name in ("REDIS_URL", "DATABASE_URL", "SITE_URL", "CACHE_KEY_PREFIX"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            OUTREACH_ENV="local",
            DATA_DIR=str(self.tmp / "data"),
            STATIC_ROOT=str(self.tmp / "static"),
            LOG_FORMAT="plain",
            PYTHONPATH=str(ROOT),
        )
        self.env = env

    def load(self, count: int, upcoming: int) -> str:
        """A fresh database with the meetings; returns a Spanish meeting page's path."""
        subprocess.run(["rm", "-rf", str(self.tmp / "data")], check=True)  # noqa: S603, S607
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "stack.py"), "load", str(count), str(upcoming)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def site_server(self, *, page_cache: bool, keep_rendered: str = "all") -> Server:
        """The site as `make run` configures it: cached means the default page cache, as it
        comes; not cached means PAGE_CACHE_SECONDS=0."""
        env = dict(self.env) if page_cache else dict(self.env, PAGE_CACHE_SECONDS="0")
        env["KEEP_RENDERED"] = keep_rendered
        name = f"embedded-cache-{'default' if page_cache else 'off'}-keep-{keep_rendered}"
        return Server(name, env, self.tmp, ["outreach.wsgi"], ready_path="/healthz")

    def vanilla_server(self) -> Server:
        return vanilla_server(self.tmp)

    def saves_command(self, meeting_path: str) -> list[str]:
        return [
            "env",
            "-i",
            *(f"{k}={v}" for k, v in self.env.items()),
            *saves_command(meeting_path),
        ]

    def saver_command(self, meeting_path: str) -> list[str]:
        return [
            "env",
            "-i",
            *(f"{k}={v}" for k, v in self.env.items()),
            *saver_command(meeting_path),
        ]

    def __enter__(self) -> EmbeddedStack:
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["rm", "-rf", str(self.tmp)], check=False)  # noqa: S603, S607


def load_venues() -> list:
    """The five demo venues (seed_demo) and five more, with notes in both languages."""
    from meetings.demo_text import TEXT
    from meetings.management.commands.seed_demo import VENUES
    from meetings.models import Venue

    notes = zip(TEXT["en"]["notes"], TEXT["es"]["notes"], strict=True)
    specs = [
        (v["name"], v["kind"], v["street_address"], v["postal_code"], en, es)
        for v, (en, es) in zip(VENUES, notes, strict=True)
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
    """`count` published meetings at ten venues, two a week, the last `upcoming` still to come.

    In one transaction: the venues' saves render the public pages once, after it (prerender.py).
    """
    from django.db import transaction

    with transaction.atomic():
        _load_meetings(count, upcoming)


def _load_meetings(count: int, upcoming: int) -> None:
    from django.utils import timezone
    from django.utils.text import slugify

    from meetings.demo_text import TEXT
    from meetings.enums import MeetingStatus, Parking, Transit
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
                description_en=TEXT["en"]["description"],
                description_es=TEXT["es"]["description"],
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


def saves_command(meeting_path: str) -> list[str]:
    """`python bench/stack.py saves SLUG SECONDS`: what the bench runs during a saving round."""
    from bench.http_floor import SAVE_SECONDS

    slug = meeting_path.rstrip("/").rsplit("/", 1)[-1]
    return [sys.executable, str(ROOT / "bench" / "stack.py"), "saves", slug, str(SAVE_SECONDS)]


def keep_saving(slug: str, seconds: float) -> None:
    """Save the meeting's Spanish title, changed, every `seconds`, as staff in the admin would
    (Meeting.save: the page cache's signals make every page stale), until stopped."""
    from meetings.models import Meeting

    meeting = Meeting.objects.get(slug=slug)
    title = meeting.title_es
    for count in itertools.count(1):
        meeting.title_es = f"{title} ({count})"
        meeting.save()
        if count == 1:
            print("saving", flush=True)
        time.sleep(seconds)


def saver_command(meeting_path: str) -> list[str]:
    """`python bench/stack.py saver SLUG`: saves the meeting once per line it reads."""
    slug = meeting_path.rstrip("/").rsplit("/", 1)[-1]
    return [sys.executable, str(ROOT / "bench" / "stack.py"), "saver", slug]


def save_on_request(slug: str) -> None:
    """For each line read, "render" or "visitor": save the meeting's Spanish title, changed,
    with the pages rendered by the save (RENDER_PAGES_ON_SAVE) or left to the next visitor,
    then answer "saved" (bench/http_floor.py's first visits after a save)."""
    from django.test import override_settings

    from meetings.models import Meeting

    meeting = Meeting.objects.get(slug=slug)
    title = meeting.title_es
    print("ready", flush=True)
    for count, line in enumerate(sys.stdin, start=1):
        meeting.title_es = f"{title} ({count})"
        with override_settings(RENDER_PAGES_ON_SAVE=line.strip() == "render"):
            meeting.save()
        print("saved", flush=True)


USAGE = "usage: bench/stack.py load COUNT UPCOMING | saves SLUG SECONDS | saver SLUG"


def main(argv: list[str]) -> int:
    """`python bench/stack.py load COUNT UPCOMING`: migrate the database the environment names,
    load the meetings and print a Spanish meeting page's path (EmbeddedStack runs this)."""
    arguments = {"load": 4, "saves": 4, "saver": 3}
    if len(argv) < 2 or arguments.get(argv[1]) != len(argv):
        print(USAGE, file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("outreach").setLevel(logging.WARNING)  # a line per page it renders
    if argv[1] == "saves":
        keep_saving(argv[2], float(argv[3]))
        return 0
    if argv[1] == "saver":
        save_on_request(argv[2])
        return 0
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    load_meetings(int(argv[2]), int(argv[3]))
    print(a_meeting_path("es"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
