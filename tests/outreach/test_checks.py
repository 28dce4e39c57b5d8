"""`manage.py check` tells an operator when SITE_URL names a host the site refuses."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from outreach.checks import check_site_url_host


def test_a_site_url_the_site_answers_passes(settings):
    settings.SITE_URL = "https://reuniones.dallaspolice.example"
    settings.ALLOWED_HOSTS = ["reuniones.dallaspolice.example"]
    assert check_site_url_host(None) == []


def test_a_site_url_outside_allowed_hosts_is_pointed_out(settings):
    settings.SITE_URL = "https://reuniones.dallaspolice.example"
    settings.ALLOWED_HOSTS = ["meetings.dallaspolice.example"]
    [warning] = check_site_url_host(None)
    assert warning.id == "outreach.W001"
    assert "reuniones.dallaspolice.example" in warning.msg


def test_the_check_runs_with_manage_py_check(settings):
    settings.SITE_URL = "https://reuniones.dallaspolice.example"
    settings.ALLOWED_HOSTS = ["meetings.dallaspolice.example"]
    try:
        call_command("check", fail_level="WARNING")
    except SystemCheckError as error:
        assert "outreach.W001" in str(error)
    else:
        raise AssertionError("manage.py check said nothing")
