"""The site's armour: strict headers, a clean deploy check, a hidden and lockable admin."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from outreach.security import client_ip
from tests.factories import MeetingFactory
from tests.trust.html_audit import audit_html

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BASE_DIR / "outreach" / "settings.py"


def public_pages(meeting) -> list[str]:
    pages = []
    for language in ("es", "en"):
        with translation.override(language):
            pages += [
                reverse("meetings:upcoming"),
                meeting.get_absolute_url(),
                reverse("meetings:privacy"),
            ]
    return pages


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_every_public_page_forbids_inline_and_third_party_code(client, frozen_now):
    meeting = MeetingFactory()
    for url in public_pages(meeting):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = csp_directives(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["img-src"] == "'self' data:"
        assert policy["form-action"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert "unsafe" not in response["Content-Security-Policy"]


def test_public_pages_hold_nothing_the_policy_would_block(client, frozen_now):
    meeting = MeetingFactory()
    for url in public_pages(meeting):
        audit = audit_html(client.get(url).content.decode())
        assert audit.problems == [], url


def test_pages_tell_the_browser_to_keep_quiet_and_unframed(client):
    response = client.get("/en/")
    # No referrer ever leaves the site ("same-origin", not "no-referrer": with that, browsers
    # send "Origin: null" on our own form posts and the CSRF check refuses them).
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def staff_user(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    return get_user_model().objects.create_superuser(
        "officer", "officer@example.org", "correct horse battery"
    )


def test_admin_meeting_form_works_under_the_policy(client, staff_user, frozen_now):
    """Staff edit meetings with Django's admin and the language tabs: all external files."""
    meeting = MeetingFactory()
    client.force_login(staff_user)
    for url in (
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_meeting_add"),
        reverse("admin:meetings_meeting_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        audit = audit_html(html)
        assert audit.inline_scripts == [], url
        assert audit.event_handlers == [], url
        assert audit.foreign_sources == [], url
        assert "tabbed_translation_fields.js" in html or "changelist" in url
        assert "nonce-" not in response["Content-Security-Policy"]


def test_old_admin_address_is_not_found(client, settings):
    assert settings.ADMIN_PATH.strip("/") != "admin"
    for url in ("/admin/", "/admin/login/", "/en/admin/", "/es/admin/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/{settings.ADMIN_PATH}login/").status_code == 200


def admin_login(client, password: str, language: str = "en"):
    return client.post(
        reverse("admin:login"),
        {"username": "officer", "password": password, "next": reverse("admin:index")},
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR="203.0.113.9",
    )


def test_sixth_try_is_refused_even_with_the_right_password(client, staff_user):
    for _ in range(4):
        assert admin_login(client, "wrong guess").status_code == 200  # the form again
    assert admin_login(client, "wrong guess").status_code == 429  # the fifth locks
    response = admin_login(client, "correct horse battery")
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The admin itself stays closed to this browser.
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_name_guessed_from_many_addresses_is_locked_at_a_higher_count(
    client, staff_user, settings
):
    """A guesser cannot go on forever by switching address: past the name-wide limit the
    account itself is locked, from everywhere, until a superuser lifts it or it cools off."""
    settings.ADMIN_LOGIN_NAME_FAILURE_LIMIT = 12
    for number in range(12):
        client.post(
            reverse("admin:login"),
            {"username": "officer", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{number // 4}",  # four tries from each of three addresses
        )
    response = admin_login(client, "correct horse battery")
    assert response.status_code == 429


def test_a_lockout_holds_one_name_at_one_address_not_the_whole_office(client, staff_user):
    """An office behind one address: one officer's slips do not lock out colleagues, and the
    officer can still sign in from another address."""
    colleague = get_user_model().objects.create_superuser(
        "sergeant", "sergeant@example.org", "another long passphrase"
    )
    for _ in range(5):
        admin_login(client, "wrong guess")
    assert admin_login(client, "correct horse battery").status_code == 429
    office = Client()
    response = office.post(
        reverse("admin:login"),
        {"username": "sergeant", "password": "another long passphrase"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert office.session["_auth_user_id"] == str(colleague.pk)
    elsewhere = Client().post(
        reverse("admin:login"),
        {"username": "officer", "password": "correct horse battery"},
        REMOTE_ADDR="198.51.100.77",
    )
    assert elsewhere.status_code == 302


def test_a_superuser_sees_and_lifts_a_lockout_in_the_admin(client, staff_user, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        admin_login(Client(), "wrong guess")
    assert admin_login(Client(), "correct horse battery").status_code == 429
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("chief", "c@example.org", "x"))
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "officer" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="officer")
    lifted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert lifted.status_code == 302
    assert admin_login(Client(), "correct horse battery").status_code == 302


def test_outreach_staff_cannot_see_lockouts(staff_client):
    assert staff_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_a_failed_login_keeps_only_what_the_lockout_needs(client, staff_user):
    """No address in the clear, no browser string, no form data: a name, a keyed hash of the
    address (shaped as a private IPv6 address, as the lockout table needs), a time, a count."""
    from axes.models import AccessAttempt

    client.post(
        reverse("admin:login") + "?next=/secret-path",
        {"username": "officer", "password": "wrong"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10; SM-A105M) Chrome/120 Mobile",
        HTTP_ACCEPT="text/html",
    )
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "officer"
    assert attempt.failures_since_start == 1
    assert attempt.ip_address.startswith("fd")
    assert "203.0.113.7" not in str(attempt.ip_address)
    assert (attempt.user_agent, attempt.http_accept, attempt.path_info) == ("", "", "")
    assert (attempt.get_data, attempt.post_data) == ("", "")


def test_lockout_page_speaks_spanish(client, staff_user):
    for _ in range(5):
        admin_login(client, "wrong guess", language="es")
    html = admin_login(client, "correct horse battery", language="es").content.decode()
    assert "Demasiados intentos" in html
    assert "Too many tries" not in html


def test_right_password_still_works_after_a_few_slips(client, staff_user):
    for _ in range(4):
        admin_login(client, "wrong guess")
    response = admin_login(client, "correct horse battery")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Straight to gunicorn, not through our proxy: the header is the visitor's own words.
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),
        ("10.0.0.5", "1.2.3.4", "1.2.3.4"),  # from our proxy: believed
        ("10.0.0.5", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the visitor made up the first hop
        ("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.7", "1.2.3.4"),  # two proxies of ours
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_address_believes_only_our_own_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_with_no_proxy_configured_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_a_made_up_forwarded_address_does_not_dodge_the_sign_up_limit(settings, frozen_now):
    """Someone reaching gunicorn directly cannot be a new visitor with each request."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.REMINDERS_SENDS_PER_ADDRESS = "2/h"
    settings.REMINDERS_SMS_TRANSPORT = "console"
    meeting = MeetingFactory()
    with translation.override("es"):
        path = reverse("reminders:subscribe", kwargs={"slug": meeting.slug})
    data = {"channel": "email", "language": "es", "scope": "one", "consent": "on"}
    answers = [
        Client()
        .post(
            path,
            {**data, "email": f"vecino{n}@example.org"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        .status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]


def test_production_settings_refuse_a_proxy_list_that_is_not_addresses(tmp_path):
    environment = production_environment(tmp_path)
    environment["TRUSTED_PROXIES"] = "proxy.example.org"
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def production_environment(tmp_path: Path) -> dict[str, str]:
    """Test values for every variable production requires (read from settings.py itself)."""
    required = set(
        re.findall(
            r'env\(\s*"([A-Z_]+)"[^)]*required_in_production=True', SETTINGS_FILE.read_text()
        )
    )
    values = {
        "SECRET_KEY": "deploy-check-" + "k" * 60,
        "SITE_URL": "https://meetings.example.org",
        "DATABASE_URL": "postgres://outreach:secret@127.0.0.1:5432/outreach",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CONTACT_KEYS": Fernet.generate_key().decode(),
        "CONTACT_DIGEST_KEY": "deploy-check-digest-" + "d" * 40,
        "EMAIL_HOST": "smtp.example.org",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "deploy-check-token",
        "TWILIO_FROM_NUMBER": "+17135550100",
    }
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    }
    environment.update({name: values.get(name, f"test-{name.lower()}") for name in required})
    environment.update(
        OUTREACH_ENV="production",
        ALLOWED_HOSTS="meetings.example.org",
        DATA_DIR=str(tmp_path / "data"),
        STATIC_ROOT=str(tmp_path / "static"),
        PYTHONWARNINGS="error",
    )
    environment.update(values)
    return environment


def test_deploy_check_with_production_settings_is_clean(tmp_path):
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # The one silenced is Django's security.W003, which looks for CsrfViewMiddleware by name:
    # outreach/csrf.py subclasses it and makes that check itself (test_csrf.py).
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert "WARNING" not in output.upper()
    assert "?: (" not in output


def test_a_changed_content_security_policy_is_sent_at_once(client, settings):
    assert "script-src 'self'" in client.get("/es/")["Content-Security-Policy"]
    settings.SECURE_CSP = {"default-src": ["'none'"]}
    assert client.get("/es/")["Content-Security-Policy"] == "default-src 'none'"


def test_every_cookie_we_set_is_http_only(client, frozen_now, settings):
    """The README says so: the CSRF cookie too (no script of ours reads it). The meeting page
    sets none, cached or not; an old browser's "one more step" page sets it (outreach/csrf.py);
    cached pages with a token write it as Django does (tests/ops/test_pagecache.py)."""
    meeting = MeetingFactory()
    with translation.override("es"):
        page = meeting.get_absolute_url()
        action = reverse("reminders:subscribe", kwargs={"slug": meeting.slug})
    for _visit in range(2):  # the second visit may be answered from the page cache
        assert not Client().get(page).cookies
    old_browser = Client(enforce_csrf_checks=True)
    response = old_browser.post(
        action, {"channel": "sms"}, headers={"Referer": "http://testserver" + page}
    )
    assert response.status_code == 200
    assert response.cookies["csrftoken"]["httponly"] is True
