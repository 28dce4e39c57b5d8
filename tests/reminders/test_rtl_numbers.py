"""Yusuf reads the site in Arabic, right to left: a phone number in a sentence must stay one
left-to-right piece ("713 555 0123", not "0123 555 713"), wherever the site writes one."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

LRI, PDI = "\u2066", "\u2069"


@pytest.fixture
def arabic(settings, frozen_now):
    settings.LANGUAGES = [("es", "Español"), ("en", "English"), ("ar", "العربيّة")]
    settings.SMS_JOIN_NUMBER = "+12145550100"
    return MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))


def page(client, page_language, meeting, **post):
    with translation.override(page_language):
        if post:
            url = reverse("reminders:subscribe", kwargs={"slug": meeting.slug})
            return client.post(url, post).content.decode()
        return client.get(meeting.get_absolute_url()).content.decode()


def test_the_no_internet_line_keeps_the_number_whole_in_arabic(client, arabic):
    assert f"{LRI}(214)\u00a0555-0100{PDI}" in page(client, "ar", arabic)
    spanish = page(client, "es", arabic)
    assert "(214) 555-0100" in spanish and LRI not in spanish


def test_a_phone_error_keeps_its_example_number_whole_in_arabic(client, arabic):
    form = {"channel": "sms", "phone": "71A", "language": "ar", "scope": "one", "consent": "on"}
    html = page(client, "ar", arabic, **form)
    assert f"{LRI}713\u00a0555\u00a00123{PDI}" in html
    assert LRI not in page(client, "es", arabic, **form | {"language": "es"})


PHONE = '<bdi dir="ltr" class="phone">214-555-0142</bdi>'


@pytest.mark.parametrize("path", ["meeting", "meetings:privacy", "meetings:faq"])
def test_the_departments_phone_and_address_read_left_to_right_in_arabic(client, arabic, path):
    """Resident's audit: the footer showed "0142-555-214" and "S. Lamar St., … 1400"."""
    with translation.override("ar"):
        url = arabic.get_absolute_url() if path == "meeting" else reverse(path)
        html = client.get(url).content.decode()
    assert PHONE in html
    assert "<bdi>1400 S. Lamar St." in html


def test_the_consent_text_keeps_the_phone_whole_in_arabic(client, arabic):
    html = page(client, "ar", arabic)
    consent = html[html.index('id="consent-text"') :]
    assert PHONE in consent[: consent.index("</p>")]


def test_the_masked_number_on_the_code_page_reads_left_to_right(client, arabic):
    with translation.override("ar"):
        html = page(
            client,
            "ar",
            arabic,
            channel="sms",
            phone="713 555 0134",
            language="ar",
            scope="one",
            consent="on",
        )
        html = (
            client.get(reverse("reminders:enter_code")).content.decode()
            if "sent-to" not in html
            else html
        )
    assert '<bdi dir="ltr">•••-•••-0134</bdi>' in html


def test_the_no_internet_line_does_not_break_inside_the_number(client, arabic):
    assert "(214)\u00a0555-0100" in page(client, "ar", arabic)
