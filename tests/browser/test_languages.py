"""Vietnamese and Arabic, seen on a phone (360×740): a meeting page in each has no
accessibility violation (axe) and no HTML error (Nu), and the Arabic one reads right to left.
Screenshots go to test-artifacts/languages/ (copies are kept in docs/screenshots/)."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import seed
from tests.browser.test_quality import axe_report, nu_errors

pytestmark = pytest.mark.django_db(transaction=True)

FOLDER = ARTIFACTS / "languages"
FOUR = [("es", _("Spanish")), ("en", _("English")), ("vi", _("Vietnamese")), ("ar", _("Arabic"))]
# One page a resident reads in each: the meeting page (facts, directions, the reminder form).
PAGES = [("vi", "vi-VN"), ("ar", "ar")]


@pytest.fixture
def four_languages(settings):
    settings.LANGUAGES = FOUR
    seed()  # the demo fills Vietnamese and Arabic text when those languages are on
    return Meeting.objects.upcoming().filter(status=MeetingStatus.SCHEDULED).first()


def meeting_path(meeting: Meeting, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return meeting.get_absolute_url()


@pytest.mark.parametrize(("language", "phone_page"), PAGES, indirect=["phone_page"])
def test_a_vietnamese_and_an_arabic_meeting_page_have_no_accessibility_violation(
    language, phone_page, live_server, four_languages
):
    from axe_playwright_python.sync_playwright import Axe

    response = phone_page.goto(live_server.url + meeting_path(four_languages, language))
    assert response.status == 200
    direction = phone_page.evaluate("getComputedStyle(document.body).direction")
    assert direction == ("rtl" if language == "ar" else "ltr")
    if language == "ar":  # the layout mirrors: the language switch sits on the left
        header = phone_page.locator("header.top").bounding_box()
        switch = phone_page.locator("nav.langs").bounding_box()
        assert switch["x"] - header["x"] < header["width"] / 2
    FOLDER.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=FOLDER / f"{language}-meeting.png")
    violations = Axe().run(phone_page).response["violations"]
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("language", [code for code, _ in PAGES])
def test_a_vietnamese_and_an_arabic_meeting_page_are_valid_html(
    language, client, vnu, tmp_path, four_languages
):
    response = client.get(meeting_path(four_languages, language))
    assert response.status_code == 200
    saved = tmp_path / f"{language}-meeting.html"
    saved.write_bytes(response.content)
    errors = nu_errors(vnu, [saved])
    assert not errors, "\n".join(errors)
