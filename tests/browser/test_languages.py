"""Vietnamese and Arabic, seen on a phone (360×740): a meeting page in each has no
accessibility violation (axe) and no HTML error (Nu), and the Arabic one reads right to left.
Screenshots go to test-artifacts/languages/ (copies are kept in docs/screenshots/)."""

from __future__ import annotations

import pytest

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import seed
from tests.browser.test_quality import axe_report, nu_errors
from tests.conftest import FOUR_LANGUAGES

pytestmark = pytest.mark.django_db(transaction=True)

FOLDER = ARTIFACTS / "languages"
FOUR = FOUR_LANGUAGES
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


@pytest.mark.parametrize("phone_page", ["ar"], indirect=True)
def test_the_arabic_phone_hint_keeps_its_example_number_on_one_line_left_to_right(
    phone_page, live_server, four_languages
):
    """360 px wide, Arabic: the example under the phone field is one left-to-right run on one
    line ("713 555 0123", not split or reordered). Screenshot: languages/ar-phone-hint.png."""
    phone_page.goto(live_server.url + meeting_path(four_languages, "ar") + "#remind")
    number = phone_page.locator("#id_phone_helptext bdi")
    assert number.inner_text() == "713 555 0123"
    assert number.get_attribute("dir") == "ltr"
    assert number.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    rects = number.evaluate("e => e.getClientRects().length")
    assert rects == 1  # one box: the number is not broken across lines
    box, hint = number.bounding_box(), phone_page.locator("#id_phone_helptext").bounding_box()
    assert hint["x"] - 1 <= box["x"] and box["x"] + box["width"] <= hint["x"] + hint["width"] + 1
    # The digits run left to right: "713" is drawn left of "0123".
    starts = number.evaluate(
        """e => { const r = document.createRange(); const t = e.firstChild;
        r.setStart(t, 0); r.setEnd(t, 3); const first = r.getBoundingClientRect().x;
        r.setStart(t, 8); r.setEnd(t, 12); return [first, r.getBoundingClientRect().x]; }"""
    )
    assert starts[0] < starts[1]
    FOLDER.mkdir(parents=True, exist_ok=True)
    phone_page.locator("#id_phone_helptext").scroll_into_view_if_needed()
    phone_page.screenshot(path=FOLDER / "ar-phone-hint.png")


@pytest.mark.parametrize("phone_page", ["ar"], indirect=True)
def test_every_phone_number_on_an_arabic_page_reads_left_to_right_on_one_line(
    phone_page, live_server, four_languages, settings
):
    """Resident's audit: the footer showed "0142-555-214", the consent text broke the number
    across two lines, the "no internet" line put "(214)" on one line and "0100-555" on the
    next. Screenshot: languages/ar-phones.png."""
    settings.SMS_JOIN_NUMBER = "+12145550100"
    phone_page.goto(live_server.url + meeting_path(four_languages, "ar"))
    phones = phone_page.locator("bdi.phone")
    assert phones.count() >= 2  # the consent text and the footer
    for index in range(phones.count()):
        phone = phones.nth(index)
        assert phone.evaluate("e => e.getClientRects().length") == 1
        assert phone.inner_text() == "214-555-0142"
        first_last = phone.evaluate(
            """e => { const r = document.createRange(); const t = e.firstChild;
            r.setStart(t, 0); r.setEnd(t, 3); const first = r.getBoundingClientRect().x;
            r.setStart(t, 8); r.setEnd(t, 12); return [first, r.getBoundingClientRect().x]; }"""
        )
        assert first_last[0] < first_last[1], "214 is drawn left of 0142"
    join = phone_page.locator("#sms-join")
    text = join.evaluate("e => e.firstChild.textContent")
    start = text.index("(214)")
    where = join.evaluate(
        """(e, start) => { const r = document.createRange(); const t = e.firstChild;
        r.setStart(t, start); r.setEnd(t, start + 5); const area = r.getBoundingClientRect();
        r.setStart(t, start + 6); r.setEnd(t, start + 14); const rest = r.getBoundingClientRect();
        return [area.x, area.y, rest.x, rest.y]; }""",
        start,
    )
    assert where[1] == where[3], "the number is on one line"
    assert where[0] < where[2], "(214) is drawn left of 555-0100"
    FOLDER.mkdir(parents=True, exist_ok=True)
    phone_page.locator("footer").scroll_into_view_if_needed()
    phone_page.screenshot(path=FOLDER / "ar-phones.png", full_page=True)
