"""Phone numbers and emails: parse, normalize, mask. Errors never echo the input back."""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .enums import Channel

DEFAULT_REGION = "US"  # residents type 713 555 0123 without +1
MASK = "•••"
PNT = phonenumbers.PhoneNumberType
# Number types that can receive our texts. Everything else is refused: premium-rate, toll-free
# and shared-cost numbers (the targets of SMS-pumping fraud), landlines, pagers, voicemail.
TEXTABLE_TYPES = {PNT.MOBILE, PNT.FIXED_LINE_OR_MOBILE, PNT.VOIP}
PAID_TYPES = {PNT.PREMIUM_RATE, PNT.TOLL_FREE, PNT.SHARED_COST, PNT.PERSONAL_NUMBER, PNT.UAN}
# The names of the regions a site may serve, as a resident reads them in a refusal.
REGION_NAMES = {
    "US": _("the United States"),
    "MX": _("Mexico"),
    "CA": _("Canada"),
    "PR": _("Puerto Rico"),
}
# "55 1234 5678" (2-4-4) is how Mexico writes a number; the US writes 3-3-4.
MEXICAN_GROUPING = [2, 4, 4]
INVALID_PHONE = _("Enter a valid phone number, for example 713 555 0123.")


def parse_phone(raw: str) -> phonenumbers.PhoneNumber:
    """The number a resident or a carrier gave, with no policy applied, or ValidationError.

    For inbound texts (a STOP must work from any number) and as the first step of
    `normalize_phone`."""
    text = (raw or "").strip()
    region = DEFAULT_REGION
    groups = [len(group) for group in re.findall(r"\d+", text)]
    if not text.startswith(("+", "00", "011")) and groups == MEXICAN_GROUPING:
        region = "MX"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from None
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        # "+52 1 55 ...": the mobile prefix Mexico dropped in 2019, still typed by habit.
        number.national_number = int(national[1:])
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return number


def e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str) -> str:
    """E.164 form ("+17135550123") of a mobile number in a region we text, or a
    ValidationError that says what to change (and never repeats the number)."""
    if any(character.isalpha() for character in raw or ""):
        raise ValidationError(
            _("Enter a valid phone number using digits only, for example 713 555 0123."),
            code="phone_letters",
        )
    number = parse_phone(raw)
    region = phonenumbers.region_code_for_number(number)
    if region not in settings.SMS_REGIONS:
        raise ValidationError(
            _(
                "We can send text messages only to numbers from %(regions)s, for example "
                "713 555 0123. Choose email instead, or enter a number from there."
            ),
            code="phone_region",
            params={"regions": served_regions()},
        )
    kind = phonenumbers.number_type(number)
    if kind in PAID_TYPES:
        raise ValidationError(
            _(
                "Toll-free and paid numbers (such as 800 or 900 numbers) cannot receive our "
                "text messages. Enter a mobile number, for example 713 555 0123."
            ),
            code="phone_paid",
        )
    if kind not in TEXTABLE_TYPES:
        raise ValidationError(
            _(
                "This number cannot receive text messages (it may be a landline). Enter a "
                "mobile number, for example 713 555 0123, or choose email."
            ),
            code="phone_not_mobile",
        )
    return e164(number)


def served_regions() -> str:
    """The regions SMS_REGIONS names, in the active language: "the United States"."""
    names = [str(REGION_NAMES.get(code, code)) for code in settings.SMS_REGIONS]
    return ", ".join(names)


def normalize_email(raw: str) -> str:
    """The email trimmed and lowercased, or ValidationError. Accents before the @
    (josé.pérez@...) only when our mail backend can deliver them."""
    text = (raw or "").strip().lower()
    local, _sep, domain = text.rpartition("@")
    if not local.isascii():
        if not settings.EMAIL_ALLOWS_UNICODE_LOCAL_PART:
            raise ValidationError(
                _(
                    "We cannot send email to an address with accents or other special "
                    "letters before the @. Please use another address, for example "
                    "maria@example.org."
                ),
                code="email_unicode",
            )
        # Django's validator knows only ASCII names: check the shape with letters in place.
        local = "".join(ch if ch.isascii() else ("a" if ch.isalnum() else " ") for ch in local)
    try:
        validate_email(f"{local}@{domain}")
    except ValidationError:
        raise ValidationError(
            _("Enter a valid email address, for example maria@example.org."),
            code="invalid_email",
        ) from None
    return text


def normalize(channel: str, raw: str) -> str:
    return normalize_phone(raw) if channel == Channel.SMS else normalize_email(raw)


def mask(channel: str, contact: str) -> str:
    """What staff may see: "•••-•••-1234" or "j•••@example.org"."""
    if channel == Channel.SMS:
        return f"{MASK}-{MASK}-{contact[-4:]}"
    local, _sep, domain = contact.partition("@")
    return f"{local[:1]}{MASK}@{domain}"
