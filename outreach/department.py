"""Who is speaking: the police department that runs the site, from one setting (DEPARTMENT).

Pages, flyers, text messages and keyword replies all read it from here, so a resident meets
the same name, phone number and address wherever they look.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import get_language


def _in_active_language(values: dict[str, str]) -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return values.get(language) or values[settings.LANGUAGE_CODE]


def name() -> str:
    """The department's full name in the active language ("Dallas Police Department")."""
    return _in_active_language(settings.DEPARTMENT["name"])


def sms_sender() -> str:
    """The short name that starts every text message we send ("Dallas Police")."""
    return _in_active_language(settings.DEPARTMENT["sms_sender"])


def phone() -> str:
    return settings.DEPARTMENT["phone"]


def phone_uri() -> str:
    """A tel: link for the phone number; a 10-digit number is taken as a US one."""
    digits = re.sub(r"\D", "", phone())
    return f"tel:+1{digits}" if len(digits) == 10 else f"tel:+{digits}"


def address() -> str:
    return settings.DEPARTMENT["address"]


def city() -> str:
    return settings.DEPARTMENT["city"]


def for_templates() -> dict[str, str]:
    """What templates show about the department, in the active language."""
    return {
        "name": name(),
        "sms_sender": sms_sender(),
        "city": city(),
        "phone": phone(),
        "phone_uri": phone_uri(),
        "address": address(),
    }
