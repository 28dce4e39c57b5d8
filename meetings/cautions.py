"""Warnings (never blocks) for a meeting time staff are about to confirm: a time already past,
an hour outside 07:00–22:00, a public holiday (the `holidays` library: US federal and Texas
state holidays, plus Christmas Eve and New Year's Eve, when few people come).

Shown on the reschedule confirmation page and in the series and CSV previews; staff can still
confirm, because sometimes a meeting on a holiday or at 6 a.m. is exactly what is wanted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import cache

import holidays
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from . import dates

EARLIEST, LATEST = time(7, 0), time(22, 0)
COUNTRY, SUBDIVISION = "US", "TX"
EVES = {"Christmas Eve", "New Year's Eve"}  # from the library's "unofficial" category
OBSERVED = re.compile(r"(.+) \(observed\)")

# The library names holidays in English only; these are the names it gives for Texas, marked
# for our own catalogue so the Spanish admin reads "Navidad".
HOLIDAY_NAMES = [
    gettext_noop("New Year's Day"),
    gettext_noop("Martin Luther King Jr. Day"),
    gettext_noop("Confederate Memorial Day"),
    gettext_noop("Presidents' Day"),
    gettext_noop("Washington's Birthday"),
    gettext_noop("Texas Independence Day"),
    gettext_noop("Cesar Chavez Day"),
    gettext_noop("Good Friday"),
    gettext_noop("San Jacinto Day"),
    gettext_noop("Memorial Day"),
    gettext_noop("Emancipation Day In Texas"),
    gettext_noop("Juneteenth National Independence Day"),
    gettext_noop("Independence Day"),
    gettext_noop("Lyndon Baines Johnson Day"),
    gettext_noop("Labor Day"),
    gettext_noop("Columbus Day"),
    gettext_noop("Veterans Day"),
    gettext_noop("Thanksgiving Day"),
    gettext_noop("Thanksgiving"),
    gettext_noop("Friday After Thanksgiving"),
    gettext_noop("Christmas Eve"),
    gettext_noop("Christmas Day"),
    gettext_noop("Day After Christmas"),
    gettext_noop("New Year's Eve"),
]


@cache
def _calendar(year: int) -> dict[date, list[str]]:
    found: dict[date, list[str]] = {}
    public = holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year)
    unofficial = holidays.country_holidays(
        COUNTRY, subdiv=SUBDIVISION, years=year, categories=(holidays.UNOFFICIAL,)
    )
    for day in sorted(set(public) | set(unofficial)):
        names = public.get_list(day) + [n for n in unofficial.get_list(day) if n in EVES]
        if names:
            found[day] = names
    return found


def holiday_names(day: date) -> list[str]:
    """The holidays on a day, in English as the library names them ([] on an ordinary day)."""
    return _calendar(day.year).get(day, [])


def _translated(name: str) -> str:
    if match := OBSERVED.fullmatch(name):
        return gettext("%(holiday)s (observed)") % {"holiday": gettext(match[1])}
    return gettext(name)


def cautions(
    starts_at: datetime, ends_at: datetime, now: datetime | None = None, *, past: bool = True
) -> list[str]:
    """What staff should know before confirming this time, in their language (`past=False`
    where a time in the past is already refused)."""
    now = now or timezone.now()
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    found = []
    if past and starts_at < now:
        found.append(gettext("This time has already passed."))
    if start.time() < EARLIEST or end.time() > LATEST or end.date() != start.date():
        found.append(
            gettext("%(start)s to %(end)s is outside the usual hours (%(earliest)s to %(latest)s).")
            % {
                "start": dates.clock(start),
                "end": dates.clock(end),
                "earliest": dates.clock(start.replace(hour=EARLIEST.hour, minute=0)),
                "latest": dates.clock(start.replace(hour=LATEST.hour, minute=0)),
            }
        )
    names = holiday_names(start.date())
    if names:
        found.append(
            gettext("A public holiday: %(names)s. Fewer people may come.")
            % {"names": "; ".join(_translated(n) for n in names)}
        )
    return found
