"""An operator reads one JSON line per request and per task, with no resident's contact data."""

import json
import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from outreach.celery import app
from tests.factories import MeetingFactory

PHONE = "5125550123"
EMAIL = "vecina@example.org"


@app.task(name="tests.ops.remember")
def remember(contact: str) -> str:
    """A task given contact data on purpose, to prove the task line never shows arguments."""
    return "done"


def production_formatter() -> logging.Formatter:
    """The formatter production's console handler uses, built from settings.LOGGING."""
    spec = dict(settings.LOGGING["formatters"]["json"])
    return import_string(spec.pop("()"))(**spec)


def json_lines(caplog, logger_name: str) -> list[dict]:
    formatter = production_formatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger_name]


@pytest.mark.django_db
def test_a_request_line_is_json_without_the_query_string(client, caplog, frozen_now):
    caplog.set_level(logging.INFO, logger="outreach.request")
    client.get(f"/es/?telefono={PHONE}&correo={EMAIL}")
    (line,) = json_lines(caplog, "outreach.request")
    assert line["method"] == "GET"
    assert line["path"] == "/es/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert PHONE not in json.dumps(line)
    assert "vecina" not in json.dumps(line)


@pytest.mark.django_db
def test_a_form_post_logs_neither_its_body_nor_its_query(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(f"/en/?email={EMAIL}", {"phone": PHONE, "email": EMAIL})
    formatter = production_formatter()
    everything = "\n".join(formatter.format(record) for record in caplog.records)
    assert PHONE not in everything
    assert EMAIL not in everything
    assert '"path": "/en/"' in everything


@pytest.mark.django_db
def test_a_meeting_page_line_keeps_its_slug_in_both_languages(client, caplog, frozen_now):
    meeting = MeetingFactory()
    caplog.set_level(logging.INFO, logger="outreach.request")
    client.get(f"/es/reuniones/{meeting.slug}/")
    client.get(f"/en/meetings/{meeting.slug}/")
    paths = [line["path"] for line in json_lines(caplog, "outreach.request")]
    assert paths == [f"/es/reuniones/{meeting.slug}/", f"/en/meetings/{meeting.slug}/"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "en"])
def test_an_unsubscribe_token_in_a_path_is_masked(client, caplog, language):
    caplog.set_level(logging.INFO, logger="outreach.request")
    with translation.override(language):
        url = reverse("reminders:unsubscribe", args=["Zm9vYmFyLXNlY3JldC10b2tlbg"])
    client.get(url)
    (line,) = json_lines(caplog, "outreach.request")
    assert "Zm9vYmFyLXNlY3JldC10b2tlbg" not in json.dumps(line)
    assert line["path"] == url.replace("Zm9vYmFyLXNlY3JldC10b2tlbg", "[masked]")


def test_a_task_line_names_the_task_but_never_its_arguments(caplog):
    caplog.set_level(logging.INFO, logger="outreach.task")
    result = remember.apply(args=(PHONE,))
    assert result.get() == "done"
    (line,) = json_lines(caplog, "outreach.task")
    assert line["task"] == "tests.ops.remember"
    assert line["state"] == "SUCCESS"
    assert line["task_id"] == result.id
    assert PHONE not in json.dumps(line)


def test_local_logs_are_plain_text():
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "plain"


def test_production_settings_choose_json_lines(tmp_path):
    environment = {
        **os.environ,
        "OUTREACH_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "meetings.example.org",
        "SITE_URL": "https://meetings.example.org",
        "DATABASE_URL": "postgres://outreach@127.0.0.1:5432/outreach",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CONTACT_KEYS": Fernet.generate_key().decode(),
        "CONTACT_DIGEST_KEY": "y" * 43,
        "DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "outreach.settings",
    }
    environment.pop("LOG_FORMAT", None)
    code = (
        "from django.conf import settings;"
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "json"


def plain_formatter() -> logging.Formatter:
    spec = dict(settings.LOGGING["formatters"]["plain"])
    return import_string(spec.pop("()"))(fmt=spec.pop("format"), **spec)


def gunicorn_formatter() -> logging.Formatter:
    """The formatter gunicorn.conf.py gives gunicorn's own lines in production."""
    environment = {"OUTREACH_ENV": "production", "LOG_FORMAT": "json"}
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        namespace = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    spec = dict(namespace["logconfig_dict"]["formatters"]["generic"])
    return import_string(spec.pop("()"))(**spec)


def test_every_log_line_stamps_its_time_in_utc_whoever_writes_it():
    # 12:00 UTC on 2 February 2027 is 06:00 in Chicago: the operator saw gunicorn's lines in
    # UTC beside Django's in Chicago time, minutes apart on screen but hours apart in fact.
    record = logging.LogRecord("outreach.request", logging.INFO, __file__, 1, "GET /", (), None)
    record.created, record.msecs = 1801569600.25, 250.0
    stamps = {
        "plain": plain_formatter().format(record).split(" ")[0],
        "json": json.loads(production_formatter().format(record))["time"],
        "gunicorn": json.loads(gunicorn_formatter().format(record))["time"],
    }
    assert stamps == dict.fromkeys(stamps, "2027-02-02T12:00:00.250Z")
