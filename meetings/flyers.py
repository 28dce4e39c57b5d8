"""What a printed flyer says, half a Letter page per language (segno makes the QR codes here,
nothing is fetched). The browser's print view (templates/staff/flyer.html) and the PDF
(meetings/flyer_pdf.py) both draw these words, so they cannot say different things.

Each half is in one language and carries its own QR code to the page in that language: many
Spanish speakers have phones set to English, so a code that let the phone pick the language
would send the reader of the Spanish half to an English page. The series flyer's codes go to
the upcoming-meetings page of each language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import segno
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from outreach import department
from outreach.languages import direction as writing_direction
from outreach.languages import isolate_phone_numbers

from . import dates
from .facts import headline, what_to_expect
from .models import Meeting

QR_ERROR = "m"  # survives a fold or a smudge on paper
# The series flyer's table stops here so the flyer stays on one page; the rest are on the
# page its QR code opens (a line says how many more).
SERIES_ROWS = 12
FIRST_MARK, MARKS = 0x2460, 20  # ① to ⑳: black-and-white marks every font we ship has


def languages() -> list[str]:
    """The languages a flyer can be printed in, in the site's order (settings.LANGUAGES)."""
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's name in the active language ("Español" / "Spanish")."""
    return str(dict(settings.LANGUAGES)[code])


def language_pair(first: str | None = None, second: str | None = None) -> list[str]:
    """The two halves' languages: the ones asked for when the site has them, else the site's
    first two (the first is the one most residents read)."""
    codes = languages()
    default = (codes * 2)[:2]
    return [
        asked if asked in codes else fallback
        for asked, fallback in ((first, default[0]), (second, default[1]))
    ]


def meeting_url(meeting: Meeting, language: str) -> str:
    """The meeting's full address in that language."""
    with translation.override(language):
        return settings.SITE_URL + meeting.get_absolute_url()


def upcoming_url(language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("meetings:upcoming")


def short_address(url: str) -> str:
    """An address as a person types it: no "https://", no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def meeting_short_url(meeting: Meeting, language: str) -> str:
    """The meeting's short address in that language (the one in text messages): /es/m/12."""
    with translation.override(language):
        return short_address(settings.SITE_URL + reverse("reminders:short", args=[meeting.pk]))


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


def more_dates(count: int) -> str:
    """Under the series table when some dates did not fit (in the active language)."""
    # Translators: under the series flyer's table of dates.
    text = ngettext(
        "And %(count)d more date: scan the code.", "And %(count)d more dates: scan the code.", count
    )
    return text % {"count": count}


def sms_join_line(language: str) -> str | None:
    """ "¿Sin internet? Envíe REUNION al (214) 555-0100" for a flyer side, or None unless
    settings.SMS_JOIN_NUMBER is set (the text lives in reminders/join.py, its one source)."""
    if not settings.SMS_JOIN_NUMBER or not apps.is_installed("reminders"):
        return None
    from reminders import join  # lazy: meetings must import without reminders

    return join.sms_join_line(language)


@dataclass
class MeetingSide:
    """One meeting written in one language."""

    title: str
    description: str
    day: str  # "miércoles, 3 de febrero de 2027"
    short_day: str  # "miércoles 3 de febrero" (the series table)
    time: str
    venue: str
    address: str
    street: str  # the series table: the city goes without saying
    headline: list[str]  # free · no ID asked · your language spoken, those that are true
    others: list[str]  # every other fact of this meeting
    marks: str = ""  # series: this meeting's own facts as legend marks, "①③"


@dataclass
class FlyerSide:
    """One half of a flyer, all in one language."""

    language: str
    direction: str  # "ltr" or "rtl": the half's own writing direction
    url: str  # what the QR code opens
    short_url: str  # what is printed under it
    qr: str
    title: str
    meetings: list[MeetingSide]
    headline: list[str] = field(default_factory=list)  # series: true of every meeting listed
    others: list[str] = field(default_factory=list)
    more: int = 0  # series: meetings left out of the table for room
    more_text: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)  # series: ("①", "Step-free")
    scan: str = ""
    remind: str = ""
    who: str = ""
    department: str = ""
    sms_join: str | None = None
    empty: str = ""


def meeting_side(meeting: Meeting) -> MeetingSide:
    """The meeting in the active language (call inside translation.override)."""
    top, others = headline(meeting)
    return MeetingSide(
        title=meeting.title,
        description=meeting.description,
        day=dates.long_date(meeting.starts_at),
        short_day=dates.day_heading(meeting.starts_at),
        time=dates.time_range(meeting.starts_at, meeting.ends_at),
        venue=meeting.venue.name,
        address=meeting.venue.address,
        street=meeting.venue.street_address,
        headline=[str(f) for f in top],
        others=[str(f) for f in others],
    )


def _side(language: str, url: str, short_url: str, title: str, meetings: list) -> FlyerSide:
    """The words every half carries, in its language (call inside translation.override)."""
    # Translators: the department's name, then this, then its phone number, on the flyer.
    who = gettext("%(department)s. To talk to a person, call %(phone)s.") % {
        "department": department.name(),
        "phone": department.phone(),
    }
    return FlyerSide(
        language=language,
        direction=writing_direction(language),
        url=url,
        short_url=short_url,
        qr=qr_svg(url),
        title=title,
        meetings=meetings,
        scan=gettext("Scan for details, directions and reminders"),
        remind=gettext(
            "Get a free reminder by text message or email: open the page and choose “Remind "
            "me”. We only use your number or email for the reminders you ask for. Reply STOP "
            "to opt out."
        ),
        who=isolate_phone_numbers(who),
        department=department.name(),
        sms_join=isolate_phone_numbers(sms_join_line(language) or "") or None,
        empty=gettext("No meetings are scheduled right now."),
    )


def meeting_flyer(meeting: Meeting, pair: list[str] | None = None) -> list[FlyerSide]:
    """Both halves of one meeting's flyer, in the pair's order."""
    sides = []
    for language in pair or language_pair():
        with translation.override(language):
            url = meeting_url(meeting, language)
            one = meeting_side(meeting)
            short = meeting_short_url(meeting, language)
            side = _side(language, url, short, meeting.title, [one])
            side.headline, side.others = one.headline, one.others
            sides.append(side)
    return sides


def series_flyer(meetings: list[Meeting], pair: list[str] | None = None) -> list[FlyerSide]:
    """Both halves of the flyer for the given meetings (soonest first): a table of dates, each
    row with that meeting's own facts; what is true of them all is said once, in large type."""
    sides = []
    shown, more = meetings[:SERIES_ROWS], max(0, len(meetings) - SERIES_ROWS)
    for language in pair or language_pair():
        with translation.override(language):
            url = upcoming_url(language)
            title = gettext("Community meetings")
            rows = [meeting_side(m) for m in shown]
            side = _side(language, url, short_address(url), title, rows)
            _say_common_facts_once(side, shown)
            side.more = more
            side.more_text = more_dates(more) if more else ""
            sides.append(side)
    return sides


def _say_common_facts_once(side: FlyerSide, meetings: list[Meeting]) -> None:
    """Move what every listed meeting shares to the half's header, in words; each row keeps
    the rest as marks (①, ②…) explained once under the table, so a row stays one line."""
    if not side.meetings:
        return
    common = set.intersection(*({str(f) for f in what_to_expect(m)} for m in meetings))
    first = side.meetings[0]
    side.headline = [fact for fact in first.headline if _shared(fact, side.meetings)]
    side.others = [fact for fact in first.others if fact in common]
    said = set(side.headline + side.others)
    marks: dict[str, str] = {}
    for row in side.meetings:
        row.others = [f for f in row.headline + row.others if f not in said]
        row.headline = []
        for fact in row.others:
            marks.setdefault(fact, chr(FIRST_MARK + len(marks)) if len(marks) < MARKS else "")
        row.marks = "".join(marks[f] or f" {f} " for f in row.others).strip()
    side.legend = [(mark, fact) for fact, mark in marks.items() if mark]


def _shared(fact: str, rows: list[MeetingSide]) -> bool:
    return all(fact in row.headline for row in rows)
