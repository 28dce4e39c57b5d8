"""The reminder and "I plan to go" forms carry no CSRF token: the browser's own word that a post
came from our pages (Fetch Metadata, Origin) is what lets it in, and a page on another site
is refused as firmly as Django's token check would refuse it (outreach/csrf.py)."""

import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.models import Meeting
from reminders.models import Subscription
from tests.conftest import CHICAGO, FOUR_LANGUAGES
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
EXPIRED = "El formulario caducó"  # Django's failure view (settings.CSRF_FAILURE_VIEW)
# The same view, for the forms with no token: "expired" and "cookies" would be untrue there.
NOT_ACCEPTED = {
    "es": "No pudimos aceptar el formulario",
    "en": "We could not accept the form",
    "vi": "Chúng tôi không thể nhận biểu mẫu",
    "ar": "لم نتمكن من قبول النموذج",
}
ONE_MORE_STEP = {
    "es": "Para proteger sus datos, por favor presione el botón una vez más.",
    "en": "To keep your information safe, please press the button once more.",
    "vi": "Để giữ an toàn cho thông tin của quý vị, xin vui lòng bấm nút thêm một lần nữa.",
    "ar": "لحماية معلوماتكم، يُرجى الضغط على الزر مرة أخرى.",
}
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def meeting(settings, frozen_now):
    settings.LANGUAGES = FOUR_LANGUAGES
    return MeetingFactory(starts_at=WEDNESDAY)


def sign_up(browser, meeting, language="es", **headers):
    """What the reminder form sends, typed by a resident, with the headers their browser adds."""
    return browser.post(
        url(language, "reminders:subscribe", slug=meeting.slug),
        {
            "channel": "sms",
            "phone": "(713) 555-0134",
            "language": language,
            "scope": "one",
            "consent": "on",
        },
        headers=headers,
    )


def test_a_residents_browser_saying_same_origin_signs_up_with_no_token(meeting):
    browser = Client(enforce_csrf_checks=True)
    response = sign_up(browser, meeting, **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302
    assert response["Location"] == url("es", "reminders:enter_code")
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_a_page_elsewhere_cannot_sign_a_visitor_up(meeting, site):
    response = sign_up(Client(enforce_csrf_checks=True), meeting, **{"Sec-Fetch-Site": site})
    assert response.status_code == 403
    assert NOT_ACCEPTED["es"] in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_page_elsewhere_is_refused_by_its_origin_when_the_browser_sends_no_fetch_metadata(
    meeting,
):
    browser = Client(enforce_csrf_checks=True)
    response = sign_up(browser, meeting, Origin="https://evil.example")
    assert response.status_code == 403
    assert not Subscription.objects.exists()
    # The same browser on our own page: its Origin names this site.
    assert sign_up(browser, meeting, Origin="http://testserver").status_code == 302


def test_a_same_origin_claim_does_not_beat_a_cross_site_one(meeting):
    # Fetch Metadata decides when it is there: an Origin header cannot talk it round.
    headers = {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"}
    assert sign_up(Client(enforce_csrf_checks=True), meeting, **headers).status_code == 403
    assert not Subscription.objects.exists()


def test_i_plan_to_go_counts_from_our_page_and_not_from_another_site(meeting):
    plan = url("es", "meetings:plan_to_go", slug=meeting.slug)
    elsewhere = Client(enforce_csrf_checks=True)
    assert elsewhere.post(plan, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert elsewhere.post(plan, headers={"Origin": "https://evil.example"}).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).planned_attendance == 0
    ours = Client(enforce_csrf_checks=True)
    assert ours.post(plan, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 303
    assert Meeting.objects.get(pk=meeting.pk).planned_attendance == 1


@pytest.mark.parametrize("language", [code for code, _name in FOUR_LANGUAGES])
def test_an_old_browser_gets_one_more_step_in_its_language_and_is_signed_up_after_it(
    meeting, language
):
    """A browser that sends neither header: the token check, with the token given to it now."""
    old_browser = Client(enforce_csrf_checks=True)
    page = url(language, "meetings:detail", slug=meeting.slug)
    action = url(language, "reminders:subscribe", slug=meeting.slug)
    response = sign_up(old_browser, meeting, language, Referer="http://testserver" + page)

    assert response.status_code == 200
    html = response.content.decode()
    assert ONE_MORE_STEP[language] in html
    assert f'<html lang="{language}"' in html and '<main id="main"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]
    assert f'<form method="post" action="{action}">' in html
    sent = dict(HIDDEN.findall(html))
    assert sent["phone"] == "(713) 555-0134"  # what they typed comes back to them, kept
    assert sent["channel"] == "sms" and sent["consent"] == "on"
    assert len(sent["csrfmiddlewaretoken"]) == 64
    assert not Subscription.objects.exists()  # nothing saved yet

    pressed = old_browser.post(action, sent, headers={"Referer": "http://testserver" + action})
    assert pressed.status_code == 302
    assert pressed["Location"] == url(language, "reminders:enter_code")
    assert Subscription.objects.count() == 1


def test_a_forged_one_more_step_without_the_token_is_refused(meeting):
    page = "http://testserver" + url("es", "meetings:detail", slug=meeting.slug)
    old_browser = Client(enforce_csrf_checks=True)
    sent = dict(HIDDEN.findall(sign_up(old_browser, meeting, Referer=page).content.decode()))
    del sent["csrfmiddlewaretoken"]
    action = url("es", "reminders:subscribe", slug=meeting.slug)
    assert old_browser.post(action, sent, headers={"Referer": page}).status_code == 403
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("referer", [None, "https://evil.example/flyer", "http://testserver.evil/"])
def test_an_old_browser_posting_from_another_site_gets_no_one_more_step(meeting, referer):
    # With neither header, only a Referer from our own pages earns the page that carries a
    # token: a page elsewhere must never get a pre-filled form back, one click from sending.
    headers = {"Referer": referer} if referer else {}
    response = sign_up(Client(enforce_csrf_checks=True), meeting, **headers)
    assert response.status_code == 403
    assert "713" not in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_admin_login_still_wants_its_token_whatever_the_browser_says(settings):
    staff = Client(enforce_csrf_checks=True)
    response = staff.post(
        reverse("admin:login"),
        {"username": "officer", "password": "secret"},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("language", [code for code, _name in FOUR_LANGUAGES])
def test_a_form_shown_again_with_a_mistake_carries_no_token_and_still_works(meeting, language):
    browser = Client(enforce_csrf_checks=True)
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    action = url(language, "reminders:subscribe", slug=meeting.slug)
    again = browser.post(action, {"channel": "sms", "phone": "12"}, headers=same_origin)
    assert again.status_code == 400
    assert "csrfmiddlewaretoken" not in again.content.decode()
    assert not again.cookies
    assert sign_up(browser, meeting, language, **same_origin).status_code == 302


def test_the_deploy_check_knows_our_csrf_middleware_and_wants_a_secure_cookie(settings):
    from outreach.csrf import MIDDLEWARE_PATH, check_csrf_middleware

    settings.CSRF_COOKIE_SECURE = True
    assert check_csrf_middleware() == []
    settings.CSRF_COOKIE_SECURE = False
    assert [m.id for m in check_csrf_middleware()] == ["outreach.W016"]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE_PATH]
    assert [m.id for m in check_csrf_middleware()] == ["outreach.W003"]


def test_a_malformed_referer_from_an_old_browser_is_refused_not_an_error(meeting):
    response = sign_up(Client(enforce_csrf_checks=True), meeting, Referer="http://[::1")
    assert response.status_code == 403


@pytest.mark.parametrize("language", [code for code, _name in FOUR_LANGUAGES])
def test_a_refused_sign_up_says_plainly_why_and_leads_back_to_the_meeting(meeting, language):
    """A browser that says nothing of where the post came from (no Sec-Fetch-Site, Origin or
    Referer: some data-saving proxies) was told its form "expired" because of "cookies", and
    sent to the list of meetings: neither was true, and the meeting was lost."""
    response = sign_up(Client(enforce_csrf_checks=True), meeting, language)
    assert response.status_code == 403
    html = response.content.decode()
    assert NOT_ACCEPTED[language] in html
    assert EXPIRED not in html and "cookies" not in html
    back = url(language, "meetings:detail", slug=meeting.slug) + "#remind"
    assert f'href="{back}"' in html


def test_a_refused_i_plan_to_go_leads_back_to_its_button(meeting):
    plan = url("es", "meetings:plan_to_go", slug=meeting.slug)
    response = Client(enforce_csrf_checks=True).post(plan, headers={"Sec-Fetch-Site": "cross-site"})
    html = response.content.decode()
    assert NOT_ACCEPTED["es"] in html
    back = url("es", "meetings:detail", slug=meeting.slug) + "#attendance"
    assert f'href="{back}"' in html
