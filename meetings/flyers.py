"""Printable bilingual flyers and their QR codes (segno: made here, nothing fetched).

Each side of a flyer is in one language and carries its own QR code to the page in that
language: many Spanish speakers have phones set to English, so a code that let the phone pick
the language would send the reader of the Spanish side to an English page. The series flyer's
codes go to the upcoming-meetings page of each language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import dates
from .models import Meeting

FLYER_LANGUAGES = ("es", "en")  # Spanish first: most residents read it first
QR_ERROR = "m"  # survives a fold or a smudge on paper


def meeting_url(meeting: Meeting, language: str) -> str:
    """The meeting's full address in that language."""
    with translation.override(language):
        return settings.SITE_URL + meeting.get_absolute_url()


def upcoming_url(language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("meetings:upcoming")


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_svg(url: str, title: str = "") -> str:
    """The QR code as inline SVG markup (no XML declaration, no styles)."""
    return qr_code(url).svg_inline(scale=4, border=2, title=title or None)


def qr_file(url: str, kind: str) -> bytes:
    """The QR code as a PNG or SVG file, large enough for a poster."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind=kind, scale=12, border=4)
    return buffer.getvalue()


@dataclass
class MeetingSide:
    """One meeting written in one language."""

    title: str
    description: str
    when: str
    day: str
    time: str
    venue: str
    address: str
    facts: list[str]


@dataclass
class FlyerSide:
    """One half of a flyer, all in one language."""

    language: str
    url: str
    qr: str
    meetings: list[MeetingSide]


def meeting_side(meeting: Meeting) -> MeetingSide:
    """The meeting in the active language (call inside translation.override)."""
    return MeetingSide(
        title=meeting.title,
        description=meeting.description,
        when=dates.when(meeting.starts_at, meeting.ends_at),
        day=dates.long_date(meeting.starts_at),
        time=dates.time_range(meeting.starts_at, meeting.ends_at),
        venue=meeting.venue.name,
        address=meeting.venue.address,
        facts=facts(meeting),
    )


def facts(meeting: Meeting) -> list[str]:
    """The "what to expect" labels, in the active language."""
    shown = [
        (meeting.is_free, gettext("Free")),
        (meeting.no_id_asked, gettext("No ID or immigration status asked")),
        (meeting.interpretation, gettext("Interpretation offered")),
        (meeting.children_welcome, gettext("Children welcome")),
        (meeting.step_free_access, gettext("Step-free access")),
    ]
    return [label for present, label in shown if present]


def meeting_flyer(meeting: Meeting) -> list[FlyerSide]:
    """Both sides of one meeting's flyer, Spanish first."""
    sides = []
    for language in FLYER_LANGUAGES:
        url = meeting_url(meeting, language)
        with translation.override(language):
            sides.append(FlyerSide(language, url, qr_svg(url), [meeting_side(meeting)]))
    return sides


def series_flyer(meetings: list[Meeting]) -> list[FlyerSide]:
    """Both sides of the flyer for every upcoming published meeting, Spanish first."""
    sides = []
    for language in FLYER_LANGUAGES:
        url = upcoming_url(language)
        with translation.override(language):
            sides.append(FlyerSide(language, url, qr_svg(url), [meeting_side(m) for m in meetings]))
    return sides


def sms_join_line(language: str) -> str | None:
    """ "¿Sin internet? Envíe REUNION al (214) 555-0100" for a flyer side, or None unless
    settings.SMS_JOIN_NUMBER is set (the text lives in reminders/join.py)."""
    if not settings.SMS_JOIN_NUMBER or not apps.is_installed("reminders"):
        return None
    from reminders import join  # lazy: meetings must import without reminders

    return join.sms_join_line(language)
