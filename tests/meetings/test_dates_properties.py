"""Any moment at all, in any time zone, is written out in both languages without failing."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import dates

CHICAGO = ZoneInfo("America/Chicago")
SPANISH_WEEKDAYS = {"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"}
ENGLISH_WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
CLOCK = {
    "es": re.compile(r"^(1[0-2]|[1-9]):[0-5]\d (a\. m\.|p\. m\.)$"),
    "en": re.compile(r"^(1[0-2]|[1-9]):[0-5]\d (a\.m\.|p\.m\.)$"),
}

# Any aware moment a staff member could type or a clock could reach, in any zone (a day of
# margin at both ends so the conversion to Chicago stays inside Python's calendar).
aware_moments = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.timezones(),
)


@settings(max_examples=300, deadline=None)
@given(moment=aware_moments, language=st.sampled_from(["es", "en"]))
def test_every_formatter_writes_any_moment_in_both_languages(moment, language):
    with translation.override(language):
        local = moment.astimezone(CHICAGO)
        long_date = dates.long_date(moment)
        heading = dates.day_heading(moment)
        clock = dates.clock(moment)
        full = dates.when(moment, moment + timedelta(minutes=90)) if local.year < 9999 else ""
    weekdays = SPANISH_WEEKDAYS if language == "es" else ENGLISH_WEEKDAYS
    assert long_date.split(",")[0].split()[0] in weekdays
    assert heading.split(",")[0].split()[0] in weekdays
    assert str(local.year) in long_date
    assert CLOCK[language].match(clock), clock
    assert f":{local.minute:02d} " in clock
    if full:
        assert full.startswith(f"{long_date}, {clock}")


@given(moment=aware_moments)
def test_both_languages_name_the_same_local_day(moment):
    local = moment.astimezone(CHICAGO)
    with translation.override("es"):
        spanish = dates.long_date(moment)
    with translation.override("en"):
        english = dates.long_date(moment)
    assert f" {local.day} de " in spanish
    assert f" {local.day}, " in english


@given(
    day=st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2100, 1, 1).date()),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_the_local_wall_clock_is_what_residents_read(day, minute):
    """Across every daylight-saving change, 18:30 in Chicago is written "6:30 p. m."."""
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=CHICAGO)
    as_utc = local.astimezone(ZoneInfo("UTC"))
    again = as_utc.astimezone(CHICAGO)  # a skipped spring hour comes back an hour later
    hour = again.hour % 12 or 12
    with translation.override("es"):
        assert dates.clock(as_utc).startswith(f"{hour}:{again.minute:02d} ")
