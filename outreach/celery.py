"""The Celery app shared by the web process (to queue) and the worker and beat (to run)."""

import os

from celery import Celery

from outreach import logs  # noqa: F401  (connects the per-task log line and Django's LOGGING)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

app = Celery("outreach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
