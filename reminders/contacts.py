"""Phone numbers and emails: parse, normalize, mask. Errors never echo the input back."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .enums import Channel

DEFAULT_REGION = "US"  # residents type 713 555 0123 without +1
MASK = "•••"


def normalize_phone(raw: str) -> str:
    """E.164 form of a mobile-capable number ("+17135550123"), or ValidationError."""
    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example 713 555 0123."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """The email trimmed and lowercased, or ValidationError."""
    text = (raw or "").strip().lower()
    try:
        validate_email(text)
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
