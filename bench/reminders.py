"""Reminders at scale, on PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Prints figures.

1. 100,000 confirmed subscriptions to one meeting: plan their reminders, then one dispatcher
   pass (claim + queue one task per delivery): wall time and peak memory of each step.
   Goal on the 2-core machine: under 10 s and under 300 MB.
2. Sends per second through the console SMS transport with 2 worker processes.

Runs in a throw-away database made next to DATABASE_URL's (like the test runner's) and
dropped at the end.
Usage: DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/reminders.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
os.environ.setdefault("CONTACT_KEYS", Fernet.generate_key().decode())
os.environ.setdefault("CONTACT_DIGEST_KEY", "bench-digest-key")
os.environ["SMS_TRANSPORT"] = "console"

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
SENDS = int(os.environ.get("BENCH_SENDS", "3000"))


def main() -> None:
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark makes its own copy).")
    import django

    django.setup()
    from django.db import connection

    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        meeting = make_subscribers(SUBSCRIBERS)
        plan_and_dispatch(meeting)
        if os.environ.get("REDIS_URL"):
            sends_per_second(meeting, test_name)
        else:
            print("sends/s: skipped (set REDIS_URL for the worker benchmark)")
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


def make_subscribers(count: int):
    """One meeting 25 hours away and `count` confirmed SMS subscriptions, made in SQL."""
    from django.db import connection
    from django.utils import timezone

    from reminders import crypto
    from tests.factories import MeetingFactory

    start = timezone.now() + timedelta(hours=25)
    meeting = MeetingFactory(starts_at=start)
    token = crypto.encrypt("+12145550134")
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO reminders_subscription
                 (channel, contact_encrypted, contact_digest, language, meeting_id, status,
                  consent_at, consent_page, token_hash, code_hash, code_attempts, welcomed,
                  created_at, confirmed_at)
               SELECT 'sms', %s, md5(i::text), CASE WHEN i %% 3 = 0 THEN 'en' ELSE 'es' END,
                      %s, 'confirmed', now(), '/es/', '', '', 0, true, now(), now()
               FROM generate_series(1, %s) AS i""",
            [token, meeting.pk, count],
        )
        cursor.execute("ANALYZE reminders_subscription")
    return meeting


def measured(label: str, action) -> object:
    """Wall time of one step, and the process's peak resident memory so far (the figure the
    300 MB goal is about; tracemalloc would slow the step several times over)."""
    began = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - began
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {elapsed:.2f} s, peak RSS {rss:.0f} MB")
    return result


def plan_and_dispatch(meeting) -> None:
    from outreach.celery import app
    from reminders import services

    print(f"{SUBSCRIBERS:,} confirmed subscriptions to one meeting (PostgreSQL)")
    rows = measured("plan reminders", lambda: services.plan_meeting(meeting))
    print(f"  planned {rows:,} deliveries (24 h and 2 h reminders)")
    due_time = meeting.starts_at - timedelta(hours=24) + timedelta(minutes=1)
    if not os.environ.get("REDIS_URL"):
        app.conf.task_always_eager = False
    app.control.purge()
    claimed = measured("dispatcher pass (claim + queue)", lambda: services.dispatch(due_time))
    print(f"  claimed and queued {claimed:,} send tasks")
    app.control.purge()


def sends_per_second(meeting, test_name: str) -> None:
    """Queue SENDS due deliveries and time 2 worker processes sending them to the console."""
    from django.conf import settings
    from django.db import connection

    from outreach.celery import app
    from reminders import services
    from reminders.enums import DeliveryStatus
    from reminders.models import Delivery

    Delivery.objects.all().delete()
    services.plan_meeting(meeting)
    ids = list(Delivery.objects.values_list("pk", flat=True)[:SENDS])
    Delivery.objects.exclude(pk__in=ids).delete()
    Delivery.objects.update(status=DeliveryStatus.SENDING, claimed_at=meeting.starts_at)
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{test_name}",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "outreach",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not app.control.ping(timeout=1.0):
            time.sleep(0.5)
        connection.close()
        began = time.perf_counter()
        from reminders.tasks import enqueue_sends

        enqueue_sends(ids)
        while Delivery.objects.filter(status=DeliveryStatus.SENT).count() < len(ids):
            time.sleep(0.2)
        elapsed = time.perf_counter() - began
        print(
            f"sends through the console transport, 2 worker processes: {len(ids):,} in "
            f"{elapsed:.1f} s = {len(ids) / elapsed:.0f} sends/s"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        app.control.purge()


if __name__ == "__main__":
    main()
