"""An outreach officer's screens in Chromium, at a laptop's 1366×768 and a phone's 360×740
(Rosa's audit): the dashboard fits without sideways scrolling, and the series form lands on
what to fix, then on the preview. Screenshots go to test-artifacts/staff/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from meetings.models import STAFF_GROUP, Meeting
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pages import seed
from tests.meetings.test_staff_actions import subscribe

pytestmark = pytest.mark.django_db(transaction=True)

FOLDER = ARTIFACTS / "staff"
LAPTOP = {"width": 1366, "height": 768}


def officer_page(browser, live_server, django_user_model, viewport: dict):
    """A Spanish-speaking officer (staff group, not a superuser), logged in."""
    if not django_user_model.objects.filter(username="rosa").exists():
        rosa = django_user_model.objects.create_user(
            "rosa", password="a-long-pass-42", is_staff=True
        )
        group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label="meetings"))
        rosa.groups.add(group)
    context = browser.new_context(viewport=viewport, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.locator("#id_username").fill("rosa")
    page.locator("#id_password").fill("a-long-pass-42")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def shoot(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png", full_page=True)


def sideways(page) -> int:
    """How far the page scrolls sideways (0: it fits the screen)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(("viewport", "name"), [(LAPTOP, "laptop"), (PHONE, "phone")])
def test_the_dashboard_fits_the_screen_with_its_last_column(
    live_server, browser, django_user_model, viewport, name
):
    seed()
    meeting = Meeting.objects.upcoming().first()
    subscribe(meeting, "sms", "es", 3)
    subscribe(meeting, "email", "en", 2, start=10)
    page = officer_page(browser, live_server, django_user_model, viewport)
    page.goto(f"{live_server.url}{reverse('admin:meetings_meeting_dashboard')}")
    header = page.locator("#dashboard-meetings thead th").last
    assert header.text_content().strip().lower() == "piensan ir"
    shoot(page, f"es-dashboard-{name}")
    assert sideways(page) <= 0
    # The last column's cell is on the screen (on a phone each row is a card, led by names).
    box = page.locator("#dashboard-meetings tbody tr").first.locator("td").last.bounding_box()
    assert box["x"] + box["width"] <= viewport["width"]
    assert "SMS en español: 3" in page.locator("#dashboard-meetings").inner_text()
    page.context.close()


@pytest.mark.parametrize(("viewport", "name"), [(LAPTOP, "laptop"), (PHONE, "phone")])
def test_the_series_form_lands_on_what_to_fix_then_on_the_preview(
    live_server, browser, django_user_model, viewport, name
):
    seed()
    page = officer_page(browser, live_server, django_user_model, viewport)
    page.goto(f"{live_server.url}{reverse('admin:meetings_meeting_series')}")
    page.locator("#id_title_es").fill("Conozca a sus oficiales")
    page.locator("#id_title_en").fill("Meet your officers")
    page.locator("#id_venues_0").check()
    page.locator("#id_dates").fill("2027-02-03\nnext tuesday\n4 feb")
    page.locator("#id_start_time").fill("18:30")
    page.locator("#id_end_time").fill("20:00")
    page.locator("input[name=_preview]").click()
    page.wait_for_load_state()
    summary = page.locator("#series-result")
    summary.wait_for()
    assert "Corrija esto" in summary.inner_text()
    assert summary.locator("li").count() == 2  # one error per line
    assert -2 <= summary.bounding_box()["y"] < viewport["height"]  # in view, not 1,300 px down
    shoot(page, f"es-series-errors-{name}")
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_dates"
    page.locator("#id_dates").fill("2030-02-05\n2030-02-12")
    page.locator("input[name=_preview]").click()
    page.wait_for_load_state()
    preview = page.locator("#series-result")
    preview.wait_for()
    assert "Vista previa" in preview.inner_text() and "Recordatorios:" in preview.inner_text()
    assert -2 <= preview.bounding_box()["y"] < viewport["height"]
    shoot(page, f"es-series-preview-{name}")
    assert sideways(page) <= 0
    page.context.close()
