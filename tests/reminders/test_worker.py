"""A real Celery worker process, on Redis and PostgreSQL, delivers each reminder exactly once,
even when its pool process is killed in the middle of the task."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from outreach.celery import app
from reminders import services
from reminders.enums import DeliveryStatus
from reminders.models import Delivery
from reminders.notify.outbox import read_outbox
from tests.clock import WHOLE_DAY_SMS_WINDOW, WHOLE_DAY_SMS_WINDOW_ENV
from tests.factories import MeetingFactory, SubscriptionFactory
from tests.reminders.conftest import TEST_KEY

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and "postgres" in os.environ.get("DATABASE_URL", "")),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both)",
    ),
]

BASE_DIR = Path(settings.BASE_DIR)


# The worker runs on the machine's real clock, which no test can pin, and CI runs at any hour.
# Quiet hours are not what these tests are about (tests/reminders/test_quiet_hours*.py are), so
# the worker and this process share one explicit window: the whole day, every day.
@pytest.fixture(autouse=True)
def _send_window_is_the_whole_day(settings):
    settings.SMS_SEND_WINDOW = WHOLE_DAY_SMS_WINDOW


@pytest.fixture
def real_broker():
    """Tasks go to Redis for real (not run inline), from an empty queue."""
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.control.purge()


@pytest.fixture
def worker_env():
    """Extra environment for the worker (a test overrides it to inject crashes)."""
    return {}


@pytest.fixture
def worker(settings, real_broker, worker_env):
    """Start `celery -A outreach worker` on the test database; stop it (and its pool) after."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CONTACT_KEYS": TEST_KEY,
        "CONTACT_DIGEST_KEY": settings.CONTACT_DIGEST_KEY,
        "SMS_TRANSPORT": "outbox",
        "SMS_OUTBOX_DIR": str(settings.REMINDERS_OUTBOX_DIR),
        "LOG_LEVEL": "INFO",
        **WHOLE_DAY_SMS_WINDOW_ENV,
        **worker_env,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "outreach",
        "worker",
        "--concurrency",
        "1",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def due_reminder():
    """A reminder due a minute ago for a meeting two hours away, for one SMS subscriber."""
    now = timezone.now()
    meeting = MeetingFactory(starts_at=now + timedelta(hours=2) - timedelta(minutes=1))
    subscription = SubscriptionFactory(meeting=meeting)
    services.plan_for_subscription(subscription, now=now - timedelta(minutes=5))
    return Delivery.objects.get()


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


def pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction caches the view
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_a_real_worker_delivers_a_reminder_exactly_once(worker, settings):
    delivery = due_reminder()
    assert services.dispatch() == 1
    assert services.dispatch() == 0  # a second pass finds nothing more to queue
    wait_for(lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT)
    time.sleep(1)
    sent = read_outbox(settings.REMINDERS_OUTBOX_DIR)
    assert [m["tag"] for m in sent] == [f"reminder_2h-d{delivery.pk}"]
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1


def test_a_worker_killed_mid_task_delivers_later_once(worker, settings):
    delivery = due_reminder()
    with transaction.atomic():
        # Hold the row so the task stops mid-way, waiting for it; then kill the pool process.
        Delivery.objects.select_for_update().get(pk=delivery.pk)
        services.dispatch()
        wait_for(waiting_on_a_lock)
        wait_for(lambda: pool_children(worker.pid))
        for child in pool_children(worker.pid):
            os.kill(child, signal.SIGKILL)
        time.sleep(1)
    wait_for(lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT)
    time.sleep(1)
    assert len(read_outbox(settings.REMINDERS_OUTBOX_DIR)) == 1


# --- Crash points (issue 9, case 6): SIGKILL of the pool process at each point of a send ---
FAST_RECOVERY = {"REMINDERS_ATTEMPT_TIMEOUT_SECONDS": "2", "REMINDERS_CLAIM_LEASE_SECONDS": "3"}


@pytest.mark.parametrize("crash_at", ["before_call", "after_accept", "after_commit"])
def test_a_worker_killed_at_any_point_of_a_send_delivers_exactly_once(crash_at, request, settings):
    """The pool process dies (SIGKILL) before the provider call, after the provider accepted
    but before our commit, or after the commit but before the task is acknowledged. Acting as
    beat, this test runs the dispatcher every half second; the message arrives once."""
    settings.REMINDERS_ATTEMPT_TIMEOUT_SECONDS = 2
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 3
    env = {
        **FAST_RECOVERY,
        "SMS_TRANSPORT": "tests.reminders.flaky_transport.CrashingTransport",
        "CRASH_AT": crash_at,
        "CRASH_MODE": "kill",
    }
    request.getfixturevalue("worker_env").update(env)
    request.getfixturevalue("worker")
    delivery = due_reminder()
    services.dispatch()

    def sent_after_a_dispatcher_pass() -> bool:
        services.dispatch()
        return Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT

    wait_for(sent_after_a_dispatcher_pass)
    folder = settings.REMINDERS_OUTBOX_DIR
    assert (folder / f".crashed-{crash_at}").exists()  # it did die there
    time.sleep(4)  # a redelivered task or a late re-claim would show up by now
    services.dispatch()
    time.sleep(1)
    assert [m["tag"] for m in read_outbox(folder)] == [f"reminder_2h-d{delivery.pk}"]


def test_the_dispatcher_sees_whether_send_tasks_wait_in_the_queue(real_broker):
    """Lost work is re-claimed only when no send task waits; an empty Redis queue (whose key
    Redis deletes) must read as "nothing waits", or lost work would never be recovered."""
    from reminders.tasks import send_delivery, sends_waiting

    assert sends_waiting() is False
    send_delivery.delay(0)  # no worker runs in this test: it stays in the queue
    assert sends_waiting() is True
    app.control.purge()
    assert sends_waiting() is False
