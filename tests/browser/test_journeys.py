"""A resident's journeys in a real browser, in Spanish and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import seed

pytestmark = pytest.mark.django_db(transaction=True)

OTHER = {"es": "en", "en": "es"}


def first_meeting() -> Meeting:
    return Meeting.objects.upcoming().filter(status=MeetingStatus.SCHEDULED).first()


def url_in(language: str, meeting: Meeting, name: str = "meetings:detail") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": meeting.slug})


@pytest.mark.parametrize(
    ("phone_page", "language"),
    [("es-MX", "es"), ("en-US", "en"), ("fr-FR", "en")],
    indirect=["phone_page"],
)
def test_the_browsers_language_decides_where_the_resident_lands(live_server, phone_page, language):
    seed()
    phone_page.goto(live_server.url + "/")
    assert phone_page.url == f"{live_server.url}/{language}/"
    assert phone_page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_language_switch_keeps_the_resident_on_the_same_meeting(
    live_server, phone_page, language
):
    seed()
    meeting = first_meeting()
    phone_page.goto(live_server.url + url_in(language, meeting))
    other = OTHER[language]
    phone_page.locator(f'header a[hreflang="{other}"]').click()
    phone_page.wait_for_load_state()
    assert phone_page.url == live_server.url + url_in(other, meeting)
    assert phone_page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("language", ["es", "en"])
def test_open_a_meeting_and_add_it_to_the_calendar(live_server, phone_page, language):
    seed()
    meeting = first_meeting()
    phone_page.goto(f"{live_server.url}/{language}/")
    phone_page.locator(f'main a[href="{url_in(language, meeting)}"]').first.click()
    phone_page.wait_for_load_state()
    with translation.override(language):
        title = meeting.title
    assert phone_page.locator("h1").inner_text() == title
    ics = url_in(language, meeting, "meetings:meeting_ics")
    with phone_page.expect_download() as download_info:
        phone_page.locator(f'a[href="{ics}"]').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{title}" in content.replace("\r\n ", "")


def remind_form(page):
    return page.locator("form:has(input[name=email])")


@pytest.mark.parametrize("language", ["es", "en"])
def test_ask_for_email_reminders_confirm_and_stop(live_server, phone_page, language):
    from reminders import services
    from reminders.models import Subscription

    seed()
    meeting = first_meeting()
    phone_page.goto(live_server.url + url_in(language, meeting))
    form = remind_form(phone_page)
    form.locator("input[name=channel][value=email]").check()
    form.locator("input[name=email]").fill("vecina@example.org")
    form.locator(f"input[name=language][value={language}]").check()
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    phone_page.wait_for_load_state()
    with translation.override(language):
        # The form posts to "#remind-errors" (a mistake comes back scrolled to its summary);
        # a browser keeps that fragment across the redirect of a successful post.
        assert phone_page.url.split("#")[0] == live_server.url + reverse("reminders:email_sent")

    (confirmation,) = mail.outbox
    link = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", confirmation.body).group(1)
    phone_page.goto(live_server.url + link.rstrip(".>)"))
    phone_page.locator("main form button").first.click()
    phone_page.wait_for_load_state()
    with translation.override(language):
        assert phone_page.url == live_server.url + reverse("reminders:confirmed")
    subscription = Subscription.objects.get()
    assert subscription.status == "confirmed"

    token = services.unsubscribe_token(subscription)
    with translation.override(language):
        phone_page.goto(live_server.url + reverse("reminders:unsubscribe", args=[token]))
    phone_page.locator("main form button").first.click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("html").get_attribute("lang") == language
    subscription.refresh_from_db()
    assert subscription.status == "stopped"
    phone_page.screenshot(path=ARTIFACTS / "screenshots" / f"{language}-unsubscribed.png")


def fill_translated(page, field: str, language: str, value: str) -> None:
    """Type into a modeltranslation field, opening its language tab first (as staff do)."""
    panel = page.evaluate(
        f"document.getElementById('id_{field}_{language}').closest('.ui-tabs-panel')?.id || ''"
    )
    if panel:
        page.locator(f'a[href="#{panel}"]').click()
    page.locator(f"#id_{field}_{language}").fill(value)


@pytest.mark.parametrize("phone_page", ["en-US"], indirect=True)
def test_staff_add_a_meeting_with_its_spanish_tab_and_it_shows_on_the_spanish_site(
    live_server, phone_page, django_user_model, settings
):
    from tests.factories import VenueFactory

    settings.PAGE_CACHE_SECONDS = 60  # as in production: the new meeting must still show at once
    venue = VenueFactory(name="Biblioteca Central")
    resident = phone_page.context.browser.new_page(locale="es-MX")
    resident.goto(f"{live_server.url}/es/")
    assert resident.goto(f"{live_server.url}/es/").headers["x-page-cache"] == "hit"
    django_user_model.objects.create_superuser("coordinadora", "c@example.org", "a-long-pass-42")
    page = phone_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/{settings.ADMIN_PATH}login/")
    page.locator("#id_username").fill("coordinadora")
    page.locator("#id_password").fill("a-long-pass-42")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/{settings.ADMIN_PATH}meetings/meeting/add/")
    fill_translated(page, "title", "en", "Coffee with the chief")
    fill_translated(page, "title", "es", "Café con el jefe")
    fill_translated(page, "description", "en", "Ask anything.")
    fill_translated(page, "description", "es", "Pregunte lo que quiera.")
    page.locator("#id_venue").select_option(str(venue.pk))
    page.locator("#id_starts_at_0").fill("2099-03-10")
    page.locator("#id_starts_at_1").fill("18:30")
    page.locator("#id_ends_at_0").fill("2099-03-10")
    page.locator("#id_ends_at_1").fill("20:00")
    page.locator("#id_published").check()
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert Meeting.objects.filter(title_es="Café con el jefe", published=True).exists()

    resident.goto(f"{live_server.url}/es/")
    assert "Café con el jefe" in resident.locator("main").inner_text()
    resident.close()
