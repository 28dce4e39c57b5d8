"""Issue 9, case 11: production without a real mailer (or without Twilio's credentials while
texts go through Twilio) does not start. Every process (web, worker, beat, a management
command) runs the deploy checks that matter when Django starts, and stops on an error:
email residents are never silently written to a console nobody reads."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.outreach.test_security import BASE_DIR, production_environment

START_WEB = "import outreach.wsgi"  # what gunicorn does first
# What a Celery worker or beat does first (its Django fix-up calls django.setup()).
START_WORKER = "from outreach.celery import app; app.loader.import_default_modules()"


def start(code: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    Path(environment["STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("code", [START_WEB, START_WORKER])
def test_production_without_a_mail_server_stops_at_start_up(tmp_path, code):
    environment = production_environment(tmp_path)
    del environment["EMAIL_HOST"]
    result = start(code, environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "mail.E001" in result.stderr and "EMAIL_HOST" in result.stderr


def test_production_with_the_console_mail_backend_named_stops_too(tmp_path):
    environment = production_environment(tmp_path)
    environment["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    result = start(START_WEB, environment)
    assert result.returncode != 0 and "mail.E001" in result.stderr


def test_production_texting_through_twilio_without_credentials_stops(tmp_path):
    environment = production_environment(tmp_path)
    del environment["TWILIO_AUTH_TOKEN"]
    result = start(START_WEB, environment)
    assert result.returncode != 0 and "TWILIO_AUTH_TOKEN" in result.stderr


def test_production_with_everything_set_starts(tmp_path):
    result = start(START_WEB, production_environment(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
