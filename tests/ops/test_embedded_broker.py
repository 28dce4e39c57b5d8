"""`make run` with no REDIS_URL: tasks go through the embedded broker (SQLite in DATA_DIR)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PUBLISH = (
    "import django; django.setup(); "
    "from reminders import tasks; tasks.meeting_changed.delay(1); print('queued')"
)


def test_a_task_can_be_queued_on_the_embedded_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update({"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "outreach.settings"})
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", PUBLISH],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "queued"
    assert (tmp_path / "celery-broker.sqlite3").exists()
