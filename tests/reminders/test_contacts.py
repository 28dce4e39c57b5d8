"""Contacts are stored encrypted, looked up by a keyed digest, and shown to staff masked."""

import io
import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from meetings.models import STAFF_GROUP
from reminders import crypto
from reminders.contacts import e164, mask, normalize_email, normalize_phone, parse_phone
from reminders.models import Subscription
from tests.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["7135550134", "(713) 555-0134", "713.555.0134", "+1 713 555 0134", "1-713-555-0134"]
)
def test_us_numbers_are_accepted_with_or_without_plus_one(typed):
    assert normalize_phone(typed) == "+17135550134"


@pytest.mark.parametrize("typed", ["12", "555-0134", "phone", "+1 000 000 0000", ""])
def test_bad_numbers_are_refused(typed):
    with pytest.raises(Exception, match="valid phone number"):
        normalize_phone(typed)


def test_emails_are_lowercased_for_look_up():
    assert normalize_email("  Maria.G@Example.ORG ") == "maria.g@example.org"


def test_staff_see_only_a_masked_contact():
    assert mask("sms", "+17135550134") == "•••-•••-0134"
    assert mask("email", "juana@example.org") == "j•••@example.org"


def test_the_database_holds_no_plaintext_contact():
    SubscriptionFactory(contact="+17135550134")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reminders_subscription")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "7135550134" not in row
    assert Subscription.objects.get().contact == "+17135550134"


def test_the_digest_finds_a_contact_without_decrypting():
    SubscriptionFactory(contact="+17135550134")
    assert Subscription.objects.filter(contact_digest=crypto.digest("+17135550134")).exists()
    assert crypto.digest("+17135550134") != crypto.digest("+17135550135")


def test_an_old_key_still_decrypts_after_rotation(settings):
    old = Fernet.generate_key().decode()
    settings.CONTACT_KEYS = [old]
    token = crypto.encrypt("+17135550134")
    settings.CONTACT_KEYS = [Fernet.generate_key().decode(), old]
    assert crypto.decrypt(token) == "+17135550134"
    rotated = crypto.rotate(token)
    settings.CONTACT_KEYS = settings.CONTACT_KEYS[:1]
    assert crypto.decrypt(rotated) == "+17135550134"


def test_a_local_key_file_is_created_once_with_mode_0600(settings, tmp_path):
    settings.DATA_DIR, settings.CONTACT_KEYS = tmp_path, []
    token = crypto.encrypt("maria@example.org")
    key_file = tmp_path / crypto.KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert crypto.decrypt(token) == "maria@example.org"


@pytest.fixture
def staff_client(client):
    user = User.objects.create_user("officer", password="a long staff password", is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    client.force_login(user)
    return client


def test_outreach_staff_read_the_delivery_log_but_not_subscriptions(staff_client):
    assert staff_client.get(reverse("admin:reminders_delivery_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:reminders_subscription_changelist")).status_code == 403


def test_the_admin_never_shows_a_contact_in_full(admin_client):
    subscription = SubscriptionFactory(contact="+17135550134")
    SubscriptionFactory(channel="email", contact="juana@example.org")
    listing = admin_client.get(reverse("admin:reminders_subscription_changelist"))
    page = admin_client.get(reverse("admin:reminders_subscription_change", args=[subscription.pk]))
    for html in (listing.content.decode(), page.content.decode()):
        assert "7135550134" not in html and "juana@" not in html
    assert "•••-•••-0134" in listing.content.decode()
    assert "j•••@example.org" in listing.content.decode()
    searched = admin_client.get(reverse("admin:reminders_subscription_changelist"), {"q": "0134"})
    assert 'name="q"' not in searched.content.decode()  # no search box at all


def test_rotating_keys_reencrypts_every_contact_so_the_old_key_can_go(settings):
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONTACT_KEYS = [old]
    subscriptions = [SubscriptionFactory(contact=f"+1713555{n:04d}") for n in range(3)]
    settings.CONTACT_KEYS = [new, old]
    call_command("rotate_contact_keys", stdout=io.StringIO())
    settings.CONTACT_KEYS = [new]  # the old key is gone
    for n, subscription in enumerate(subscriptions):
        subscription.refresh_from_db()
        assert subscription.contact == f"+1713555{n:04d}"


# --- Which numbers get texts (issue 10): by region and number type, never by "+1" --------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("+1 876 555 0123", "phone_region"),  # Jamaica: +1, but not the United States
        ("+1 264 235 1234", "phone_region"),  # Anguilla
        ("+1 900 555 0123", "phone_paid"),  # premium rate
        ("+1 800 555 0123", "phone_paid"),  # toll-free
        ("1-800-FLOWERS", "phone_letters"),
        ("55 1234 5678", "phone_region"),  # written the Mexican way: not a New Jersey number
        ("+52 1 55 1234 5678", "phone_region"),
        ("+52 55 1234 5678", "phone_region"),
    ],
)
def test_numbers_outside_what_we_text_are_refused_with_the_reason(typed, code):
    with pytest.raises(ValidationError) as refused:
        normalize_phone(typed)
    assert refused.value.code == code
    assert typed not in " ".join(refused.value.messages)


def test_shared_cost_numbers_are_refused_even_in_a_served_region(settings):
    settings.SMS_REGIONS = ["US", "ES"]
    with pytest.raises(ValidationError) as refused:
        normalize_phone("+34 901 123 456")
    assert refused.value.code == "phone_paid"


@pytest.mark.parametrize("typed", ["55 1234 5678", "+52 1 55 1234 5678", "+52 55 1234 5678"])
def test_mexican_numbers_are_taken_when_the_site_serves_mexico(settings, typed):
    settings.SMS_REGIONS = ["US", "MX"]
    assert normalize_phone(typed) == "+525512345678"
    assert normalize_phone("713 555 0123") == "+17135550123"


def test_a_refused_region_names_the_regions_served_in_the_page_language(settings):
    settings.SMS_REGIONS = ["US"]
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        normalize_phone("+1 876 555 0123")
    with translation.override("es"):
        assert "Estados Unidos" in " ".join(refused.value.messages)


def test_an_email_with_accents_is_taken_when_the_mail_backend_can_deliver_it(settings):
    settings.EMAIL_ALLOWS_UNICODE_LOCAL_PART = True
    assert normalize_email("José.Pérez@example.org") == "josé.pérez@example.org"
    assert normalize_email("maria@ejemplo.méxico") == "maria@ejemplo.méxico"


def test_an_email_with_accents_is_refused_clearly_when_it_cannot_be_delivered(settings):
    settings.EMAIL_ALLOWS_UNICODE_LOCAL_PART = False
    with pytest.raises(ValidationError) as refused:
        normalize_email("josé.pérez@example.org")
    assert refused.value.code == "email_unicode"
    assert "accents" in " ".join(refused.value.messages)
    assert normalize_email("maria@ejemplo.méxico") == "maria@ejemplo.méxico"


def test_smtp_cannot_deliver_accents_before_the_at_so_production_refuses_them():
    """The default follows the backend: Django's SMTP backend refuses such an address."""
    from django.core.mail.backends.smtp import EmailBackend

    with pytest.raises(ValueError, match="non-ASCII"):
        EmailBackend.prep_address(None, "josé.pérez@example.org")


def test_a_stop_from_a_number_we_no_longer_text_is_still_understood():
    number = parse_phone("+18765550123")
    assert e164(number) == "+18765550123"
