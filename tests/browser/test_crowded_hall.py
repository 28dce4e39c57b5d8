"""The end of a meeting in a church hall: forty phones on one Wi-Fi ask for a reminder at once,
some mistyping; a script on one address tries to pump texts. In a real browser (issue 10)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reminders.models import Subscription
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEN_MINUTES = 600
SUMMARY = {"es": "Por favor corrija esto", "en": "Please correct this"}
LETTERS = {"es": "solo con números", "en": "digits only"}
LOCALES = {"es": "es-MX", "en": "en-US"}


def outbox(settings) -> list:
    from reminders.notify.outbox import read_outbox

    return read_outbox(settings.REMINDERS_OUTBOX_DIR)


def meeting_path(meeting, language: str = "es") -> str:
    with translation.override(language):
        return meeting.get_absolute_url()


def sign_up(page, base: str, path: str, phone: str) -> None:
    page.goto(base + path)
    form = page.locator("form:has(input[name=phone])")
    form.locator("input[name=channel][value=sms]").check()
    form.locator("input[name=phone]").fill(phone)
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_forty_residents_on_one_wifi_all_get_their_codes(live_server, browser, settings):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=7))
    path = meeting_path(meeting)
    with translation.override("es"):
        code_page = live_server.url + reverse("reminders:enter_code")
    started = time.monotonic()
    for n in range(40):  # each phone its own browser, all from the hall's one address
        context = browser.new_context(viewport=PHONE, locale="es-MX", is_mobile=True)
        page = context.new_page()
        sign_up(page, live_server.url, path, f"214 555 01{n:02d}")
        assert page.url.split("#")[0] == code_page, f"resident {n + 1} was refused"
        assert f"•••-•••-01{n:02d}" in page.locator("main").inner_text()
        context.close()
    assert time.monotonic() - started < TEN_MINUTES
    assert len(outbox(settings)) == 40
    assert Subscription.objects.count() == 40


def test_an_sms_pumping_script_on_one_address_is_stopped_before_its_budget(
    live_server, browser, settings
):
    """The script fetches the form once and posts it for number after number. The form carries
    no CSRF token; a script can say whatever it likes about where its post came from
    (Sec-Fetch-Site), as it could copy a token: what stops it is the limit per address."""
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=7))
    path = meeting_path(meeting)
    with translation.override("es"):
        action = reverse("reminders:subscribe", kwargs={"slug": meeting.slug})
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    budget, answers = 150, []
    for n in range(budget):
        response = context.request.post(
            live_server.url + action,
            form={
                "channel": "sms",
                "phone": f"469 555 {n:04d}",
                "language": "es",
                "scope": "one",
                "consent": "on",
            },
            headers={"Referer": live_server.url + path, "Sec-Fetch-Site": "same-origin"},
            max_redirects=0,
        )
        answers.append(response.status)
        if response.status == 429:
            break
    context.close()
    sent = len(outbox(settings))
    assert answers[-1] == 429, "the script was never stopped"
    assert sent == answers.count(302) == 60
    assert sent < budget
    assert sent < settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR  # the site's budget is untouched


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("javascript", [True, False])
def test_a_mistake_shows_at_the_form_in_view_and_accessible(
    live_server, browser, language, javascript
):
    from axe_playwright_python.sync_playwright import Axe

    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=7))
    context = browser.new_context(
        viewport=PHONE, locale=LOCALES[language], is_mobile=True, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(live_server.url + meeting_path(meeting, language))
    form = page.locator("form:has(input[name=phone])")
    form.locator("input[name=phone]").fill("1-800-FLOWERS")  # and no consent ticked
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#remind-errors")
    text = summary.inner_text()
    assert SUMMARY[language] in text and LETTERS[language] in text
    top, bottom = page.evaluate(
        "(() => { const r = document.getElementById('remind-errors').getBoundingClientRect();"
        " return [r.top, r.bottom]; })()"
    )
    assert -1 <= top < PHONE["height"], f"the summary is off screen (top at {top:.0f} px)"
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == "remind-errors"  # with or without JavaScript
    assert form.locator("input[name=phone]").input_value() == "1-800-FLOWERS"
    assert page.url.endswith("#remind-errors")
    suffix = "js" if javascript else "nojs"
    page.screenshot(path=ARTIFACTS / "screenshots" / f"{language}-form-error-{suffix}.png")
    if javascript:
        violations = Axe().run(page).response["violations"]
        assert violations == [], [violation["id"] for violation in violations]
    context.close()


@pytest.mark.parametrize("language", ["es", "en"])
def test_second_visit_and_refusal_pages_are_accessible(live_server, browser, language):
    """The pages a resident meets on a second visit or a refusal: axe finds nothing."""
    from axe_playwright_python.sync_playwright import Axe

    from meetings.enums import MeetingStatus
    from reminders import services
    from reminders.enums import SubscriptionStatus
    from tests.factories import SubscriptionFactory

    now = timezone.now()
    past = MeetingFactory(starts_at=now - timedelta(days=7))
    upcoming = MeetingFactory(venue=past.venue, starts_at=now + timedelta(days=7))
    cancelled = MeetingFactory(starts_at=now + timedelta(days=3), status=MeetingStatus.CANCELLED)
    stopped = SubscriptionFactory(channel="email", status=SubscriptionStatus.STOPPED)
    with translation.override(language):
        paths = {
            "past": past.get_absolute_url(),
            "cancelled": cancelled.get_absolute_url(),
            "already-stopped": reverse(
                "reminders:unsubscribe", args=[services.unsubscribe_token(stopped)]
            ),
        }
    context = browser.new_context(viewport=PHONE, locale=LOCALES[language], is_mobile=True)
    page = context.new_page()
    failures = {}
    for name, path in paths.items():
        page.goto(live_server.url + path)
        violations = Axe().run(page).response["violations"]
        if violations:
            failures[name] = [violation["id"] for violation in violations]
    # The refusal page (Django's CSRF failure view): a page on another site posts our
    # "I plan to go" button, and the browser says so (Sec-Fetch-Site: cross-site, Origin).
    with translation.override(language):
        action = reverse("meetings:plan_to_go", kwargs={"slug": upcoming.slug})
    elsewhere = f'<form method="post" action="{live_server.url}{action}"><button>Go</button></form>'
    page.route(
        "http://elsewhere.example/",
        lambda route: route.fulfill(body=elsewhere, content_type="text/html"),
    )
    page.goto("http://elsewhere.example/")
    page.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main a.button").count() == 1  # "go back" (to our own list)
    violations = Axe().run(page).response["violations"]
    if violations:
        failures["refused-form"] = [violation["id"] for violation in violations]
    upcoming.refresh_from_db()
    assert upcoming.planned_attendance == 0  # nothing counted
    context.close()
    assert failures == {}
