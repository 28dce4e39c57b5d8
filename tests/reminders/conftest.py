"""Reminders tests: Celery runs tasks inline, SMS go to a file outbox, fixed test keys."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from outreach.celery import app
from reminders.notify.outbox import read_outbox

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _reminder_settings(settings, tmp_path):
    settings.CONTACT_KEYS = [TEST_KEY]
    settings.CONTACT_DIGEST_KEY = "test-digest-key"
    settings.REMINDERS_SMS_TRANSPORT = "outbox"
    settings.REMINDERS_OUTBOX_DIR = tmp_path / "outbox"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def sms_outbox(settings):
    """The SMS messages sent so far, oldest first: [{"to", "tag", "body"}, ...]."""
    folder = Path(settings.REMINDERS_OUTBOX_DIR)
    return lambda: read_outbox(folder)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a request queued "after commit" (tests run inside one open transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
