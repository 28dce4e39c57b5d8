"""Odd requests get a clear answer in the site's own layout and language, never a 500."""

import logging
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from outreach.csrf import ONE_MORE_STEP_FIELD
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
EXPIRED = {"es": "El formulario caducó", "en": "The form expired"}
BAD_REQUEST = {"es": "No pudimos leer lo que envió", "en": "We could not read what was sent"}


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(starts_at=WEDNESDAY)


def in_site_layout(page: str, language: str) -> bool:
    html_tag = f'<html lang="{language}" dir="ltr">'
    return html_tag in page and '<main id="main"' in page and "site.css" in page


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_expired_form_gets_a_translated_page_that_offers_to_go_back(meeting, language):
    # An old browser that keeps no cookies, sending the "one more step" page (outreach/csrf.py).
    browser = Client(enforce_csrf_checks=True)
    page_url = url(language, "meetings:detail", slug=meeting.slug)
    response = browser.post(
        url(language, "reminders:subscribe", slug=meeting.slug),
        {"channel": "sms", "phone": "713 555 0134", "consent": "on", ONE_MORE_STEP_FIELD: "1"},
        HTTP_REFERER="http://testserver" + page_url,
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert in_site_layout(page, language)
    assert EXPIRED[language] in page
    assert f'href="{page_url}#remind"' in page or f'href="{page_url}"' in page
    assert "DEBUG" not in page and "CSRF" not in page
    assert "713" not in page


def test_a_refused_form_with_a_foreign_referrer_goes_back_to_our_own_page(meeting):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        url("es", "meetings:plan_to_go", slug=meeting.slug),
        HTTP_REFERER="https://evil.example.net/phish",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "evil.example.net" not in page
    assert f'href="{url("es", "meetings:detail", slug=meeting.slug)}#attendance"' in page


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "cp1252", "idna", "no-such-charset"])
@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("csrf", [True, False])
def test_any_request_charset_gets_a_400_in_the_site_layout(
    meeting, caplog, charset, language, csrf
):
    browser = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    with caplog.at_level(logging.INFO, logger="outreach.request"):
        response = browser.generic(  # sends the bytes as they are, whatever the charset says
            "POST",
            url(language, "reminders:subscribe", slug=meeting.slug),
            data=b"channel=sms&phone=7135550134",
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert in_site_layout(page, language)
    assert BAD_REQUEST[language] in page
    assert any(" 400 " in record.getMessage() for record in caplog.records)


def test_a_multipart_post_with_an_odd_charset_is_a_400_too(meeting):
    response = Client(raise_request_exception=False).generic(
        "POST",
        url("en", "reminders:subscribe", slug=meeting.slug),
        data=b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
        content_type="multipart/form-data; boundary=x; charset=utf-16",
    )
    assert response.status_code == 400


def test_utf8_posts_work_as_before(meeting):
    response = Client().post(
        url("es", "reminders:subscribe", slug=meeting.slug),
        data="channel=sms&phone=12",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 400  # the form's own answer: a phone number that is wrong
    assert "error-summary" in response.content.decode()
