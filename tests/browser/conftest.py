"""Browser checks run Debian's Chromium through Playwright, and the W3C Nu checker on Java.

Where those tools are missing the checks are skipped, never silently: each skip says what is
missing and how to get it, and the run ends with a line that says the browser checks did not
run. `.ci/run` installs the tools, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Debian's package; CHROMIUM_PATH points elsewhere on other systems.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / ".cache" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}

_skipped: set[str] = set()


def missing_browser() -> str | None:
    """Why the browser checks cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError:
        return "playwright / axe-playwright-python are not installed (make test installs them)"
    return None


def missing_validator() -> str | None:
    if not shutil.which("java"):
        return "no Java runtime (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return "the W3C Nu checker is not installed (make browser-tools)"
    return None


def skip_loudly(reason: str, what: str) -> None:
    _skipped.add(what)
    pytest.skip(f"{what.upper()} NOT RUN: {reason}")


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped:
        missing = ", ".join(sorted(_skipped))
        terminalreporter.write_sep(
            "!", f"NOT RUN on this machine: {missing} (reasons in the SKIPPED lines)"
        )


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless Chromium for the whole browser package."""
    reason = missing_browser()
    if reason:
        skip_loudly(reason, "browser checks")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop open in this thread; Django's ORM (used by the
    # tests to set up data) refuses to run in a thread with a running loop unless told it is
    # safe, which it is here: the loop is Playwright's, not Django's.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone_page(browser, request):
    """A fresh phone-sized tab (its own cookies), speaking the language the test asks for."""
    language = getattr(request, "param", None) or "es-MX"
    context = browser.new_context(
        viewport=PHONE, locale=language, accept_downloads=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def vnu() -> Path:
    reason = missing_validator()
    if reason:
        skip_loudly(reason, "html validation")
    return VNU_JAR


@pytest.fixture(autouse=True)
def _reminders_inline(settings, tmp_path):
    """Reminder tasks run inline, SMS go to a file outbox, contact keys are fixed."""
    from cryptography.fernet import Fernet

    from outreach.celery import app

    settings.CONTACT_KEYS = [Fernet.generate_key().decode()]
    settings.CONTACT_DIGEST_KEY = "browser-test-digest-key"
    settings.REMINDERS_SMS_TRANSPORT = "outbox"
    settings.REMINDERS_OUTBOX_DIR = tmp_path / "outbox"
    settings.PAGE_CACHE_SECONDS = 0
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
