"""Every text, email and flyer sends residents to SITE_URL. An officer working at another
address (the operator left the local default in place) is told before she prints a stack of
flyers whose QR codes open nothing."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
PUBLIC = "reuniones.dallaspolice.example"


@pytest.fixture
def pages(frozen_now, settings, staff_client):
    """The admin's front page and a flyer, as the logged-in officer gets them at `host`."""
    settings.SITE_URL = f"https://{PUBLIC}"
    settings.ALLOWED_HOSTS = [PUBLIC, "testserver"]
    meeting = MeetingFactory()
    urls = [reverse("admin:index"), reverse("admin:meetings_meeting_flyer", args=[meeting.pk])]

    def get(host: str, **extra) -> list[str]:
        responses = [staff_client.get(url, HTTP_HOST=host, **ES, **extra) for url in urls]
        assert [r.status_code for r in responses] == [200, 200]
        return [r.content.decode() for r in responses]

    return get


def test_staff_at_the_public_address_see_no_warning(pages):
    for html in pages(PUBLIC):
        assert 'id="site-address"' not in html


def test_staff_elsewhere_are_told_where_flyers_and_texts_lead(pages, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"  # the local default, left in place
    for html in pages(PUBLIC):
        assert 'id="site-address"' in html
        warning = html[html.index('id="site-address"') :]
        assert "http://127.0.0.1:8000" in warning and f"https://{PUBLIC}" not in warning
        assert f"http://{PUBLIC}" in warning
        assert "SITE_URL" in warning and "códigos QR" in warning


def test_the_default_port_and_letter_case_do_not_count(pages):
    for html in pages("Reuniones.DallasPolice.example:443", secure=True):
        assert 'id="site-address"' not in html
