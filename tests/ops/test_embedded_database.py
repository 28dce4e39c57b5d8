"""make run: the web server, the worker and beat share one SQLite file. Two processes that
each read and then write in one transaction (what confirming a code or sending a reminder
does) must wait for each other, never fail with "database is locked" (the outreach officer's
audit saw a resident's code never sent because of it)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

WRITER = """
import os, sys, time
import django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS visit (n integer)")
for _ in range(40):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM visit")
            time.sleep(0.005)
            cursor.execute("INSERT INTO visit (n) VALUES (1)")
print("ok")
"""


@pytest.mark.slow
def test_two_processes_writing_the_embedded_database_at_once_both_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env |= {"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "outreach.settings"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for (out, err), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0, err[-1500:]
        assert out.strip() == "ok"
