"""An operator learns at once when SITE_URL names an address the site does not serve as
visitors reach it: a warning from `manage.py check`, and in production a refusal to start."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from outreach.apps import run_startup_checks
from outreach.checks import check_site_url


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["reuniones.dallaspolice.example"]


def test_a_site_url_the_site_answers_passes(settings):
    settings.SITE_URL = "https://reuniones.dallaspolice.example"
    settings.ALLOWED_HOSTS = ["reuniones.dallaspolice.example"]
    assert check_site_url(None) == []


def test_a_site_url_outside_allowed_hosts_is_a_warning_locally(settings):
    settings.SITE_URL = "https://reuniones.dallaspolice.example"
    settings.ALLOWED_HOSTS = ["meetings.dallaspolice.example"]
    [warning] = check_site_url(None)
    assert warning.id == "outreach.W001"
    assert "reuniones.dallaspolice.example" in warning.msg
    with pytest.raises(SystemCheckError, match="outreach.W001"):
        call_command("check", fail_level="WARNING")


def test_production_will_not_start_with_a_site_url_it_refuses(settings, production):
    settings.SITE_URL = "https://meetings.dallaspolice.example"
    with pytest.raises(Exception, match="outreach.E001"):
        run_startup_checks()


def test_production_will_not_start_with_an_http_site_url_behind_https(settings, production):
    settings.SITE_URL = "http://reuniones.dallaspolice.example"
    [error] = check_site_url(None)
    assert error.id == "outreach.E002"
    with pytest.raises(Exception, match="outreach.E002"):
        run_startup_checks()


def test_production_starts_with_its_own_address(settings, production):
    settings.SITE_URL = "https://reuniones.dallaspolice.example"
    assert check_site_url(None) == []
