"""The stack as operators run it: gunicorn, a Celery worker and beat as real processes.

They run the very commands of docker-compose.yml against the local PostgreSQL and Redis (in a
database and a Redis db of their own). A resident asks for an SMS reminder over HTTP and types
the code the worker texted; staff move the meeting close; beat's dispatcher queues the
reminder, the worker sends it, and the file outbox shows it exactly once.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from cryptography.fernet import Fernet

from tests.clock import WHOLE_DAY_SMS_WINDOW_ENV
from tests.ops.stack import ROOT, Stack, free_port, get_json, local_command, wait_until

pytestmark = pytest.mark.slow

PHONE = "(713) 555-0134"
E164 = "+17135550134"
TWILIO_TOKEN = "smoke-twilio-auth-token"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SEED = """
from datetime import timedelta
from django.utils import timezone
from meetings.models import Meeting, Venue
venue = Venue.objects.create(name="Familia Bethel Internacional", street_address="1 Main St",
    city="Houston", postal_code="77009")
start = timezone.now() + timedelta(days=3)
meeting = Meeting.objects.create(title_en="Community meeting", title_es="Reunión comunitaria",
    venue=venue, starts_at=start, ends_at=start + timedelta(minutes=90), published=True,
    spoken_languages=["es", "en"])
print(meeting.slug)
"""

# Staff move the meeting so that its two-hour reminder falls due half a minute from now.
MOVE_CLOSE = """
from datetime import timedelta
from django.utils import timezone
from meetings.models import Meeting
meeting = Meeting.objects.get(slug="{slug}")
meeting.starts_at = timezone.now() + timedelta(hours=2, seconds=30)
meeting.ends_at = meeting.starts_at + timedelta(minutes=90)
meeting.save()
"""


def services_or_skip() -> tuple[str, str]:
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")) or not redis:
        pytest.skip(
            "SMOKE TEST NOT RUN: it needs DATABASE_URL (PostgreSQL) and REDIS_URL set, as "
            ".ci/run sets them; with neither, the production stack is not exercised."
        )
    return database, redis


@pytest.fixture
def smoke_database():
    """A database of its own on the same server (the suite's test database stays untouched)."""
    database, _ = services_or_skip()
    config = dj_database_url.parse(database)
    name = f"{config['NAME']}_smoke"
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunparse(urllib.parse.urlparse(database)._replace(path=f"/{name}"))
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def smoke_redis(redis_url: str) -> str:
    """Another Redis db than the suite's (the suite flushes its own between tests)."""
    parsed = urllib.parse.urlparse(redis_url)
    db = int(parsed.path.strip("/") or 0)
    return urllib.parse.urlunparse(parsed._replace(path=f"/{(db + 8) % 16}"))


@pytest.fixture
def stack(smoke_database, tmp_path):
    _, redis = services_or_skip()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env |= {
        "DATABASE_URL": smoke_database,
        "REDIS_URL": smoke_redis(redis),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATA_DIR": str(tmp_path / "data"),
        "SMS_TRANSPORT": "outbox",
        "SMS_OUTBOX_DIR": str(tmp_path / "outbox"),
        "CONTACT_KEYS": Fernet.generate_key().decode(),
        "CONTACT_DIGEST_KEY": "smoke-test-digest-key",
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,  # signs the inbound texts of the text-to-join run
        "LOG_FORMAT": "json",
        # Whatever the hour CI runs at, texts may go out.
        **WHOLE_DAY_SMS_WINDOW_ENV,  # its clock is the machine's: see tests/clock.py
    }
    subprocess.run(  # the Redis db may hold a queue left by an earlier, interrupted run
        [
            sys.executable,
            "-c",
            "import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()",
            env["REDIS_URL"],
        ],
        check=True,
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Stack(env=env, logs=logs)
    running.run("migrate")
    running.base_url = f"http://127.0.0.1:{port}"
    try:
        yield running
    finally:
        running.stop()


def manage_shell(stack: Stack, code: str) -> str:
    manage = local_command("migrate")[:2]  # [python, manage.py]
    result = subprocess.run(
        [*manage, "shell", "-c", code],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def outbox(stack: Stack) -> list[dict]:
    folder = Path(stack.env["SMS_OUTBOX_DIR"])
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    return [json.loads(p.read_text()) for p in files] if folder.exists() else []


def tagged(stack: Stack, prefix: str) -> list[dict]:
    return [m for m in outbox(stack) if m["tag"].startswith(prefix) and m["to"] == E164]


class Browser:
    """Just enough of a browser: cookies, redirects followed, forms posted."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base_url + path, timeout=15) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict) -> tuple[str, str]:
        data = urllib.parse.urlencode(fields).encode()
        # As a browser does: the Origin header names the page's site (outreach/csrf.py).
        request = urllib.request.Request(  # noqa: S310 (our own local server)
            self.base_url + path, data=data, headers={"Origin": self.base_url}
        )
        with self.opener.open(request, timeout=15) as response:
            return response.geturl(), response.read().decode()


def start_everything(stack: Stack) -> None:
    for name in ("web", "worker", "beat"):
        stack.start(name)
    wait_until(lambda: get_json(f"{stack.base_url}/healthz")[0] == 200, 60, "gunicorn's /healthz")
    wait_until(lambda: "ready" in stack.log("worker"), 60, "the Celery worker")
    wait_until(lambda: "beat: Starting" in stack.log("beat"), 60, "Celery beat")


def json_lines(text: str) -> list[dict]:
    """The JSON log lines of a process (Celery's start-up banner is not a log line)."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_the_compose_stack_delivers_one_reminder_through_real_processes(stack):
    slug = manage_shell(stack, SEED).splitlines()[-1]
    start_everything(stack)
    status, body = get_json(f"{stack.base_url}/healthz")
    assert (status, body["status"]) == (200, "ok")

    resident = Browser(stack.base_url)
    _, page = resident.get(f"/es/reuniones/{slug}/?telefono=7135550134")
    remind_form = next(form for form in page.split("<form")[1:] if 'name="phone"' in form)
    action = re.search(r'action="([^"]+)"', remind_form).group(1)
    url, page = resident.post(
        action,
        {  # no CSRF token on the meeting page: the Origin header lets it in
            "channel": "sms",
            "phone": PHONE,
            "language": "es",
            "scope": "meeting",
            "consent": "on",
        },
    )
    wait_until(lambda: tagged(stack, "confirm"), 60, "the confirmation code SMS (worker)")
    code = re.search(r"\b(\d{6})\b", tagged(stack, "confirm")[0]["body"]).group(1)
    resident.post(
        urllib.parse.urlparse(url).path,
        {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "code": code,
        },
    )

    manage_shell(stack, MOVE_CLOSE.format(slug=slug))
    # Beat's dispatcher runs every minute: the reminder is sent within about two.
    wait_until(lambda: tagged(stack, "reminder_2h"), 150, "the two-hour reminder", interval=2)
    # Another dispatcher pass (the operator's fallback command) must not send it again.
    manage_shell(
        stack, "from django.core.management import call_command; call_command('send_due_reminders')"
    )
    time.sleep(3)
    assert len(tagged(stack, "reminder_2h")) == 1
    # The worker's dispatcher passes are seen by the web process (through Redis).
    assert get_json(f"{stack.base_url}/healthz")[1]["dispatcher"]["state"] == "ok"
    assert all(stack.alive(name) for name in ("web", "worker", "beat"))
    stack.stop()

    # Operators' view: JSON lines for requests and tasks, and no phone number anywhere.
    web = stack.log("web")
    assert all(line.startswith("{") for line in web.splitlines() if line.strip())
    # gunicorn's own lines and Django's stamp time alike: UTC, ISO 8601.
    assert all(line["time"].endswith("Z") for line in json_lines(web))
    assert {"gunicorn.error", "outreach.request"} <= {line["logger"] for line in json_lines(web)}
    requests = [line for line in json_lines(web) if line["logger"] == "outreach.request"]
    page_views = [line for line in requests if line["path"] == f"/es/reuniones/{slug}/"]
    assert page_views and page_views[0]["status"] == 200  # logged without "?telefono=..."
    tasks = [line for line in json_lines(stack.log("worker")) if line["logger"] == "outreach.task"]
    assert {line["state"] for line in tasks} >= {"SUCCESS"}
    for name in ("web", "worker", "beat"):
        assert "7135550134" not in stack.log(name)
        assert "555-0134" not in stack.log(name)


def text_in(stack: Stack, body: str, sid: str) -> str:
    """A text from the resident, as Twilio posts it: signed by twilio's own RequestValidator
    over the public address. Returns the TwiML reply."""
    from twilio.request_validator import RequestValidator

    fields = {"From": JOIN_E164, "To": "+12145550100", "Body": body, "MessageSid": sid}
    url = f"{stack.base_url}/twilio/sms"
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, fields)
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        url, data=urllib.parse.urlencode(fields).encode(), headers={"X-Twilio-Signature": signature}
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
        assert response.status == 200
        return response.read().decode()


JOIN_E164 = "+17135550135"


def test_text_to_join_keyword_then_1_brings_one_reminder_through_real_processes(stack):
    slug = manage_shell(stack, SEED).splitlines()[-1]
    start_everything(stack)

    offer = text_in(stack, "¡Reunión!", "SM" + "1" * 32)
    assert "Familia Bethel" in offer and "Responda 1 para recibir recordatorios" in offer
    welcome = text_in(stack, "1", "SM" + "2" * 32)
    assert "Recibirá hasta 3 recordatorios" in welcome

    manage_shell(stack, MOVE_CLOSE.format(slug=slug))
    joined = lambda: [  # noqa: E731
        m for m in outbox(stack) if m["tag"].startswith("reminder_2h") and m["to"] == JOIN_E164
    ]
    wait_until(joined, 150, "the two-hour reminder to the number that texted", interval=2)
    manage_shell(
        stack, "from django.core.management import call_command; call_command('send_due_reminders')"
    )
    time.sleep(3)
    assert len(joined()) == 1
    assert all(stack.alive(name) for name in ("web", "worker", "beat"))
    stack.stop()
    for name in ("web", "worker", "beat"):
        assert "7135550135" not in stack.log(name)


RENAME = """
from meetings.models import Meeting
meeting = Meeting.objects.get(slug="{slug}")
meeting.title_es = "Reunión con el jefe interino"
meeting.save()
"""


def test_a_save_in_another_process_reaches_every_web_worker_already_rendered(stack):
    """Staff save in one process (here a shell; the admin's gunicorn worker in production):
    each of the two web workers answers the next visit from the shared cache, changed."""
    slug = manage_shell(stack, SEED).splitlines()[-1]
    stack.start("web")
    wait_until(lambda: get_json(f"{stack.base_url}/healthz")[0] == 200, 60, "gunicorn's /healthz")
    path = f"/es/reuniones/{slug}/"

    def visit() -> tuple[str, str]:
        with urllib.request.urlopen(stack.base_url + path, timeout=15) as response:  # noqa: S310
            return response.headers["X-Page-Cache"], response.read().decode()

    before = [visit() for _ in range(6)]
    assert {state for state, _html in before[1:]} == {"hit"}
    manage_shell(stack, RENAME.format(slug=slug))
    after = [visit() for _ in range(6)]  # several visits: both workers answer some
    assert [state for state, _html in after] == ["hit"] * 6
    assert all("Reunión con el jefe interino" in html for _state, html in after)
