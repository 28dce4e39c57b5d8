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
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
