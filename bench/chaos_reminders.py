"""Exactly once under failure, measured on a production-like stack. Prints figures.

PostgreSQL (DATABASE_URL; a throw-away database is made beside it and dropped) and Redis
(CHAOS_REDIS_URL, default db 10, flushed), 2 Celery worker processes (concurrency 2 each) and
beat dispatching every 5 s, sending 2,000 due text reminders through bench/chaos_transport.py
(an outbox that takes ~10 ms a call). Scenarios, each a fresh run:

  calm            nothing goes wrong (the baseline)
  kill-worker     SIGKILL a whole worker (main process and pool) a few times mid-run; it is
                  started again 2 s later
  provider-timeout  10 % of provider calls are accepted and then time out
  postgres-crash  (only with --postgres-crash) PostgreSQL stopped with `-m immediate` and
                  started again mid-run: it disturbs anything else using the server

For each: messages sent, duplicates (a delivery with more than one message), lost (a
delivery with none and not failed), failed (with reason), and the time until all settled.
Usage: DATABASE_URL=postgres://... python bench/chaos_reminders.py [--postgres-crash]
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
os.environ.setdefault("CONTACT_KEYS", Fernet.generate_key().decode())
os.environ.setdefault("CONTACT_DIGEST_KEY", "chaos-digest-key")
REDIS_URL = os.environ.get("CHAOS_REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ["REDIS_URL"] = REDIS_URL
MESSAGES = int(os.environ.get("CHAOS_MESSAGES", "2000"))
WHOLE_DAY = {
    "SMS_WINDOW_START": "00:00",
    "SMS_WINDOW_END": "23:59:59.999999",
    "SMS_WINDOW_SUNDAY_START": "00:00",
}


def main() -> None:
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the run makes its own database).")
    import django

    os.environ.update(WHOLE_DAY)
    django.setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    scenarios = os.environ.get("CHAOS_SCENARIOS", "calm,kill-worker,provider-timeout").split(",")
    if "--postgres-crash" in sys.argv:
        scenarios.append("postgres-crash")
    try:
        print(f"{MESSAGES:,} due SMS reminders, 2 workers x 2 processes, beat every 5 s")
        print(f"{'scenario':<18}{'sent':>6}{'dupes':>7}{'lost':>6}{'failed':>8}{'settled in':>12}")
        for scenario in scenarios:
            run(scenario, name)
    finally:
        connection.close()
        connection.creation.destroy_test_db(name, verbosity=0)


def run(scenario: str, database: str) -> None:
    from django.conf import settings
    from django.db import connection

    from reminders.enums import DeliveryStatus
    from reminders.models import Delivery

    outbox = Path(tempfile.mkdtemp(prefix="chaos-outbox-"))
    ids = due_deliveries(MESSAGES)
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{database}",
        "PYTHONPATH": str(BASE_DIR / "bench"),
        "SMS_TRANSPORT": "chaos_transport.ChaosTransport",
        "SMS_OUTBOX_DIR": str(outbox),
        "CHAOS_TIMEOUT_RATE": "0.1" if scenario == "provider-timeout" else "0",
        "DISPATCH_EVERY_SECONDS": "5",
        "LOG_LEVEL": os.environ.get("CHAOS_LOG_LEVEL", "WARNING"),
        "DATA_DIR": tempfile.mkdtemp(prefix="chaos-data-"),
    }
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no queue left by an earlier run
    connection.close()
    began = time.monotonic()
    workers = [start("worker", env), start("worker", env)]
    beat = start("beat", env)
    try:
        disturb(scenario, workers, env, outbox)
        settled = wait_settled(ids, timeout=float(os.environ.get("CHAOS_TIMEOUT", "600")))
    finally:
        for process in [*workers, beat]:
            stop(process)
    counts = collections.Counter(
        json.loads(path.read_text())["tag"] for path in outbox.glob("*.json")
    )
    rows = dict(Delivery.objects.filter(pk__in=ids).values_list("pk", "status"))
    failed = [pk for pk, status in rows.items() if status == DeliveryStatus.FAILED]
    dupes = sum(n - 1 for n in counts.values() if n > 1)
    sent_tags = {int(tag.rsplit("-d", 1)[1]) for tag in counts}
    lost = [pk for pk in ids if pk not in sent_tags and pk not in failed]
    took = f"{time.monotonic() - began:.0f} s" if settled else "NOT settled"
    print(
        f"{scenario:<18}{sum(counts.values()):>6}{dupes:>7}{len(lost):>6}{len(failed):>8}{took:>12}"
    )
    reasons = collections.Counter(
        Delivery.objects.filter(pk__in=failed).values_list("last_error", flat=True)
    )
    for reason, n in reasons.items():
        print(f"    failed: {n} x {reason}")
    if not settled:
        waiting = collections.Counter(
            (status, marker is not None)
            for status, marker in Delivery.objects.filter(pk__in=ids)
            .exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED])
            .values_list("status", "attempt_started_at")
        )
        for (status, marker), n in waiting.items():
            print(f"    unsettled: {n} {status}{' (attempt on record)' if marker else ''}")
    Delivery.objects.all().delete()


def due_deliveries(count: int) -> list[int]:
    """`count` confirmed SMS subscriptions to a meeting 2 hours away: their 2-hour reminders
    are due now (planned by the real planner, then made due)."""
    from django.utils import timezone

    from bench.reminders import insert_subscribers
    from meetings.models import Meeting
    from reminders import services
    from reminders.enums import Kind
    from reminders.models import Delivery
    from tests.factories import MeetingFactory

    Meeting.objects.all().delete()
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(hours=2, minutes=30))
    insert_subscribers(count, meeting.pk)  # the same SQL as make bench-reminders
    services.plan_meeting(meeting)
    reminders = Delivery.objects.filter(meeting=meeting, kind=Kind.REMINDER_2H)
    reminders.update(due_at=timezone.now(), next_try_at=timezone.now())
    Delivery.objects.filter(meeting=meeting).exclude(kind=Kind.REMINDER_2H).delete()
    return list(reminders.values_list("pk", flat=True))


def start(role: str, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "outreach", role, "--loglevel", "WARNING"]
    if role == "worker":
        command += ["--concurrency", "2", "--without-gossip", "--without-mingle"]
    else:
        command += ["--schedule", str(Path(env["DATA_DIR"]) / "beat-schedule")]
    return subprocess.Popen(  # noqa: S603 (our own commands)
        command,
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen) -> None:
    """Stop a worker or beat and everything it started: after a database crash a worker's
    main process can exit while pool processes stuck on a dead connection stay behind."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def sent_so_far(outbox: Path) -> int:
    return sum(1 for _ in outbox.glob("*.json"))


def disturb(scenario: str, workers: list, env: dict, outbox: Path) -> None:
    if scenario == "kill-worker":
        for threshold in (MESSAGES // 5, MESSAGES // 2, MESSAGES * 3 // 4):
            wait_until(lambda t=threshold: sent_so_far(outbox) >= t, 300)
            os.killpg(workers[0].pid, signal.SIGKILL)  # the whole worker, pool and all
            workers[0].wait()
            time.sleep(2)
            workers[0] = start("worker", env)
    elif scenario == "postgres-crash":
        wait_until(lambda: sent_so_far(outbox) >= MESSAGES // 3, 300)
        cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", *postgres_cluster()]
        subprocess.run([*cluster, "stop", "-m", "immediate"], check=False)  # noqa: S603
        time.sleep(3)
        subprocess.run([*cluster, "start"], check=True)  # noqa: S603


def postgres_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return [version, "main"]


def wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)


def wait_settled(ids: list[int], timeout: float) -> bool:
    """Every delivery sent, failed or skipped (none pending, sending or being checked)."""
    from django.db import OperationalError, connection

    from reminders.enums import DeliveryStatus
    from reminders.models import Delivery

    final = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if not Delivery.objects.filter(pk__in=ids).exclude(status__in=final).exists():
                time.sleep(2)  # a redelivered task or a late re-claim would show by now
                return True
        except OperationalError:
            connection.close()  # the server restarted: reconnect
        time.sleep(1)
    return False


if __name__ == "__main__":
    main()
