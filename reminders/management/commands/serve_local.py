"""`make run`: the web server, a Celery worker and Celery beat together; Ctrl-C stops all.

honcho (a Python Foreman) runs the three, prefixes their output with their name, and stops
the others when one exits or on Ctrl-C. With no REDIS_URL, Celery uses the embedded SQLite
broker in DATA_DIR, so nothing else needs installing.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from honcho.manager import Manager
from honcho.printer import Printer


class Command(BaseCommand):
    help = "Serve the site and run a Celery worker and beat (local development)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        python = sys.executable
        beat_schedule = settings.CELERY_BEAT_SCHEDULE_FILENAME
        processes = {
            "web": f"{python} manage.py runserver --noreload {addrport}",
            "worker": f"{python} -m celery -A outreach worker --loglevel INFO --concurrency 2",
            "beat": f"{python} -m celery -A outreach beat --loglevel INFO -s {beat_schedule}",
        }
        manager = Manager(Printer(sys.stdout))
        for name, command in processes.items():
            manager.add_process(name, command, cwd=str(settings.BASE_DIR))
        self.stdout.write(f"Serving http://{addrport}/ with a reminders worker and beat.")
        manager.loop()
        sys.exit(manager.returncode)
