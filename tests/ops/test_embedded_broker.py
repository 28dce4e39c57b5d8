"""`make run` with no Redis: tasks go to the embedded SQLite broker. A resident's sign-up
queues a task there; if the broker refused our settings, every sign-up would answer 500
(it did once: a Redis-only transport option)."""

import os
import subprocess
import sys

from django.conf import settings

PUBLISH = """
import django
django.setup()
from outreach.celery import app
from reminders.tasks import dispatch_due
app.conf.task_always_eager = False
dispatch_due.delay()
with app.connection_for_write() as conn:
    print(conn.default_channel.queue_declare(queue="celery", passive=True).message_count)
"""


def test_a_task_can_be_queued_on_the_embedded_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env |= {"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "outreach.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "1"
