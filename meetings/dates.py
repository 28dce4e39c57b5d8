"""Dates and times written the way each language writes them, in the venue's time zone.

Used by pages, calendar files, emails and SMS alike, so a resident reads the same words
everywhere: "miércoles, 3 de febrero de 2027, 6:30 p. m." / "Wednesday, February 3, 2027, 6:30 p.m."
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def long_date(value: datetime) -> str:
    """Weekday, day, month and year: "miércoles, 3 de febrero de 2027"."""
    return date_format(_local(value), "DATE_FORMAT")


def day_heading(value: datetime) -> str:
    """Weekday and day without the year, for grouping a list: "miércoles 3 de febrero"."""
    return date_format(_local(value), "MONTH_DAY_FORMAT")


def clock(value: datetime) -> str:
    """The time of day on a 12-hour clock: "6:30 p. m." / "6:30 p.m."."""
    local = _local(value)
    hour = local.hour % 12 or 12
    if local.hour < 12:
        # Translators: morning marker after a time, as in "9:00 a.m."; Spanish writes "a. m."
        marker = pgettext("time of day", "a.m.")
    else:
        # Translators: afternoon/evening marker after a time, as in "6:30 p.m."; Spanish "p. m."
        marker = pgettext("time of day", "p.m.")
    return f"{hour}:{local.minute:02d} {marker}"


def time_range(start: datetime, end: datetime) -> str:
    """ "6:30 p. m. – 8:00 p. m." (en dash; both ends in local time)."""
    return f"{clock(start)} – {clock(end)}"


def day_and_time(day: str, time: str) -> str:
    """A date followed by a time, with the language's own comma ("الأربعاء، 3 فبراير، 6:30 م")."""
    # Translators: a date, then a time of day, as in "Wednesday, February 3, 6:30 p.m.".
    return pgettext("date and time", "%(day)s, %(time)s") % {"day": day, "time": time}


def when(start: datetime, end: datetime | None = None) -> str:
    """Full date and time for a message or a page header."""
    text = day_and_time(long_date(start), clock(start))
    if end is not None:
        text += f" – {clock(end)}"
    return text


def local_iso(value: datetime) -> str:
    """ISO 8601 in the venue's time, with its offset: "2027-02-03T18:30:00-06:00"."""
    return _local(value).isoformat()
