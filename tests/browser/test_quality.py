"""Every public page, in Spanish and English: no accessibility violation, valid HTML.

axe-core runs inside Chromium on the live pages; the W3C Nu checker reads the pages as the
server sent them (saved to files: it refuses addresses on 127.0.0.1). Phone-sized screenshots
of each page are kept under test-artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import public_pages, seed

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["es", "en"]


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_no_accessibility_violation(language, live_server, phone_page):
    from axe_playwright_python.sync_playwright import Axe

    seed()
    axe, failures = Axe(), {}
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, path, status in public_pages(language):
        response = phone_page.goto(live_server.url + path)
        assert response.status == status, path
        violations = axe.run(phone_page).response["violations"]
        if violations:
            failures[path] = axe_report(violations)
        phone_page.screenshot(path=folder / f"{language}-{name}.png", full_page=True)
    assert not failures, "\n\n".join(f"{path}:\n{report}" for path, report in failures.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_is_valid_html(language, client, vnu, tmp_path):
    seed()
    files = []
    for name, path, status in public_pages(language):
        response = client.get(path)
        assert response.status_code == status, path
        saved = tmp_path / f"{language}-{name}.html"
        saved.write_bytes(response.content)
        files.append(saved)
    errors = nu_errors(vnu, files)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_of_a_crowded_hall_are_valid_html(language, client, vnu, tmp_path, settings):
    """Issue 10's pages: a form with mistakes, the code page with the masked number, the
    second-visit and refusal pages."""
    from datetime import timedelta

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone, translation

    from reminders import services
    from reminders.enums import SubscriptionStatus
    from tests.factories import MeetingFactory, SubscriptionFactory

    now = timezone.now().replace(second=0, microsecond=0)  # as staff enter times
    upcoming = MeetingFactory(starts_at=now + timedelta(days=7))
    past = MeetingFactory(venue=upcoming.venue, starts_at=now - timedelta(days=7))
    stopped = SubscriptionFactory(channel="email", status=SubscriptionStatus.STOPPED)
    with translation.override(language):
        subscribe = reverse("reminders:subscribe", kwargs={"slug": upcoming.slug})
        pages = {
            "past-meeting": client.get(past.get_absolute_url()),
            "form-with-mistakes": client.post(subscribe, {"channel": "sms", "phone": "1-800-X"}),
            "already-stopped": client.get(
                reverse("reminders:unsubscribe", args=[services.unsubscribe_token(stopped)])
            ),
            "expired-form": Client(enforce_csrf_checks=True).post(subscribe, {}),
            "bad-charset": Client().generic(
                "POST", subscribe, b"a=b", content_type="text/plain; charset=utf-16"
            ),
        }
        data = {"channel": "sms", "language": language, "scope": "one", "consent": "on"}
        client.post(subscribe, {**data, "phone": "713 555 0134"})
        pages["code-page"] = client.get(reverse("reminders:enter_code"))
    files = []
    for name, response in pages.items():
        saved = tmp_path / f"{language}-{name}.html"
        saved.write_bytes(response.content)
        files.append(saved)
    errors = nu_errors(vnu, files)
    assert not errors, "\n".join(errors)
    assert "•••-•••-0134" in pages["code-page"].content.decode()


def nu_errors(vnu, files) -> list[str]:
    """The W3C Nu checker's errors for these saved pages, as "file:line: message"."""
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
