"""A staff save queues its planning task through Redis. With Redis hung (it accepts and never
answers), queueing must give up within the broker's own timeouts, so the save answers (the
operator's audit saw an admin request hang 30 s into a gunicorn timeout and a 500 for a
change that was saved, and a shell save wait 666 s, because a second setting had replaced
the broker's socket timeouts)."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings

QUEUE = """
import django
django.setup()
from outreach.celery import app
from reminders.tasks import dispatch_due
app.conf.task_always_eager = False
try:
    dispatch_due.delay()
except Exception as error:
    print("gave up:", type(error).__name__)
else:
    print("queued")
"""


@pytest.mark.slow
def test_queueing_a_task_on_a_hung_redis_gives_up_instead_of_waiting_forever(tmp_path):
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(64)
    url = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"REDIS_URL": url, "DATA_DIR": str(tmp_path), "BROKER_SOCKET_TIMEOUT": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", QUEUE],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,  # a bound on correctness (it used to hang for as long as Redis did)
        )
    finally:
        hung.close()
    assert done.stdout.strip().startswith("gave up"), done.stderr[-1500:]
