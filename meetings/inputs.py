"""Dates and times as staff type them, read one way only.

A date is ISO (`2027-02-04`) or has its month in words in any of the site's languages
("4 de febrero de 2027", "Feb 4, 2027"); day and month both in numbers ("04/02/2027") are
refused, because the same text means 4 February to one officer and 2 April to another, and so
is a date without its year ("4 de febrero"), with the next such date to write instead. A time
is 24-hour ("18:30") or 12-hour with its marker as either language writes it ("6:30 p. m.",
"6:30 pm"). The form fields for a single date or time are the browser's own pickers, which
always send ISO, so a typed "02/13/2027" gets the same clear message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
NUMERIC = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})")
CLOCK = re.compile(r"(\d{1,2})(?:[:.h](\d{2})(?::00)?)?\s*(?:([ap])\.?\s*m\.?)?")


class AmbiguousDate(ValueError):
    """Day and month written in numbers, or a date without its year: `readings` are the dates
    it could be (0 to 2)."""

    def __init__(
        self, text: str, readings: list[date], *, no_year: bool = False, weekday: int | None = None
    ) -> None:
        super().__init__(text)
        self.text, self.readings, self.no_year, self.weekday = text, readings, no_year, weekday

    @property
    def message(self) -> str:
        if self.weekday is not None and self.readings:
            return gettext(
                "You wrote “%(weekday)s”, but the date is %(date)s. Check the day or the date."
            ) % {
                "weekday": WEEKDAYS[self.weekday],
                "date": date_format(self.readings[0], "DATE_FORMAT"),
            }
        if self.no_year and self.readings:
            return gettext("“%(text)s” has no year. Write %(date)s or %(iso)s.") % {
                "text": self.text,
                "date": date_format(self.readings[0], "DATE_FORMAT"),
                "iso": self.readings[0].isoformat(),
            }
        return date_advice(self.text, self.readings)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def month_names() -> dict[str, int]:
    """Every month's name, in every language of the site, without accents: {"febrero": 2}."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names |= {_plain(str(name)): number for number, name in MONTHS.items()}
    return names


def weekday_names() -> dict[str, int]:
    """Every weekday's name and abbreviation, in every language of the site, without accents:
    {"martes": 1, "tue": 1} (Monday is 0)."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for table in (WEEKDAYS, WEEKDAYS_ABBR):
                names |= {_plain(str(name)): number for number, name in table.items()}
    return names


def _weekday(word: str, names: dict[str, int]) -> int | None:
    """The weekday a word names in full or by its first three or more letters ("mié")."""
    if len(word) < 3:
        return None
    found = {number for name, number in names.items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


def _month(word: str, names: dict[str, int]) -> int | None:
    """The month a word names in full or by its first three or more letters ("sept")."""
    if len(word) < 3:
        return None
    found = {number for name, number in names.items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The date the text means, None if it is not a date; AmbiguousDate for "04/02/2027"."""
    text = text.strip()
    if match := ISO.fullmatch(text):
        return _safe_date(*map(int, match.groups()))
    if match := NUMERIC.fullmatch(text):
        first, second, year = map(int, match.groups())
        if first > 31:  # 2027/02/04: year first is not ambiguous, but not ours either
            first, second, year = second, year, first
        year += 2000 if year < 100 else 0
        readings = {_safe_date(year, second, first), _safe_date(year, first, second)}
        raise AmbiguousDate(text, sorted(d for d in readings if d))
    return _date_in_words(text)


def _date_in_words(text: str) -> date | None:
    names = month_names()
    words = re.findall(r"[^\W\d_]+", _plain(text))
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    months = {m for m in (_month(word, names) for word in words) if m}
    years = [n for n in numbers if n >= 1000]
    days = [n for n in numbers if n < 100]
    if len(months) == 1 and len(days) == 1 and numbers == days:
        # "4 de febrero": guessing the year could put a meeting a year off; name the next one.
        next_one = _next_date(months.pop(), days[0])
        raise AmbiguousDate(text, [next_one] if next_one else [], no_year=True)
    if len(months) != 1 or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
        return None
    found = _safe_date(years[0], months.pop(), days[0])
    week = weekday_names()
    said = {d for d in (_weekday(w, week) for w in words if not _month(w, names)) if d is not None}
    if found and len(said) == 1 and (typed := said.pop()) != found.weekday():
        # "martes 11 de marzo" is a Thursday: the weekday or the number is a slip.
        raise AmbiguousDate(text, [found], weekday=typed)
    return found


def _next_date(month: int, day: int) -> date | None:
    """The next `day` of `month` from today (today included), in the venue's time zone."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        found = _safe_date(year, month, day)
        if found and found >= today:
            return found
    return None


def date_advice(text: str, readings: list[date]) -> str:
    """What to write instead of a date in numbers, in the staff member's language."""
    if len(readings) == 2:
        return gettext(
            "“%(text)s” could be %(first)s or %(second)s. Write the date as %(first_iso)s or "
            "%(second_iso)s (year-month-day)."
        ) % {
            "text": text,
            "first": date_format(readings[0], "DATE_FORMAT"),
            "second": date_format(readings[1], "DATE_FORMAT"),
            "first_iso": readings[0].isoformat(),
            "second_iso": readings[1].isoformat(),
        }
    if len(readings) == 1:
        return gettext("Write the date as %(iso)s (year-month-day), not “%(text)s”.") % {
            "iso": readings[0].isoformat(),
            "text": text,
        }
    return gettext("“%(text)s” is not a date. Write it like 2027-02-04.") % {"text": text}


def parse_time(text: str) -> time | None:
    """ "18:30", "6:30 p. m.", "6:30 pm", "6:30PM", "9 a. m." → the time; anything else None."""
    match = CLOCK.fullmatch(" ".join(text.strip().lower().split()))
    if not match:
        return None
    hour, minute, marker = int(match[1]), int(match[2] or 0), match[3]
    if marker is None and match[2] is None:
        return None  # a bare "6" could be morning or evening
    if marker:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if marker == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


# --- Form fields for one date or one time ------------------------------------------------------


class DateField(forms.DateField):
    """The browser's date picker; typed text must be ISO, and other forms are explained."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ISO.fullmatch(value.strip()):
            try:
                day = parse_date(value)
            except AmbiguousDate as error:
                raise forms.ValidationError(error.message, code="invalid") from None
            raise forms.ValidationError(
                date_advice(value.strip(), [day] if day else []), code="invalid"
            )
        return super().to_python(value)


class TimeField(forms.TimeField):
    """The browser's time picker (hours and minutes, no seconds); typed text as staff write it."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    default_error_messages = {"invalid": _("Write the time like 18:30 or 6:30 p.m.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        parsed = parse_time(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed
