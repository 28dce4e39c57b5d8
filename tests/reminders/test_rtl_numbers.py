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
    assert f"{LRI}(214) 555-0100{PDI}" in page(client, "ar", arabic)
    spanish = page(client, "es", arabic)
    assert "(214) 555-0100" in spanish and LRI not in spanish


def test_a_phone_error_keeps_its_example_number_whole_in_arabic(client, arabic):
    form = {"channel": "sms", "phone": "71A", "language": "ar", "scope": "one", "consent": "on"}
    html = page(client, "ar", arabic, **form)
    assert f"{LRI}713 555 0123{PDI}" in html
    assert LRI not in page(client, "es", arabic, **form | {"language": "es"})
