"""Schedule a series: one form, many meetings, previewed first and created all at once.

Staff give the bilingual text once, one or several venues, the dates (a list, or a weekday
between two dates) and the local start and end times. `plan()` turns that into rows, each with
its own problems (a time that does not exist on a daylight-saving day, a date in the past, a
clash with a meeting already at that venue); `create()` refuses while any row has a problem
and otherwise saves every meeting in one transaction, so nothing is ever half-created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db import transaction
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach import form_errors, languages

from . import cautions, completeness, inputs, preview
from .enums import ReminderOffset, SpokenLanguage, default_reminder_offsets
from .facts import list_with_and
from .models import Meeting, Venue

MAX_MEETINGS = 200  # a typo in a date range should not create years of meetings
# The translated text of a meeting, one column per enabled language (settings.LANGUAGES).
TEXT_FIELDS = [
    column for field in ("title", "description", "host") for column in languages.columns(field)
]
FACT_FIELDS = [
    "is_free",
    "no_id_asked",
    "interpretation",
    "children_welcome",
    "step_free_access",
    "parking",
    "transit",
]


class VenueOrder:
    EVERY = "every"
    ROTATE = "rotate"
    CHOICES = [
        (EVERY, _("Each date at every venue chosen")),
        (ROTATE, _("Take turns: first date at the first venue, second at the next, …")),
    ]


def reminder_offsets_field() -> forms.MultipleChoiceField:
    """When subscribers get reminders, as tick boxes (the model stores a list); all by default."""
    return forms.MultipleChoiceField(
        label=capfirst(_("reminders")),
        choices=ReminderOffset.choices,
        initial=default_reminder_offsets,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("When subscribers get a reminder of this meeting. None: only notices."),
    )


def spoken_languages_field() -> forms.MultipleChoiceField:
    """The languages as tick boxes (the model stores a list of codes)."""
    return forms.MultipleChoiceField(
        label=capfirst(_("languages spoken")),  # a form label, as Django writes model ones
        choices=SpokenLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SeriesForm(forms.Form):
    """Everything a series shares, plus which dates and venues it covers."""

    venues = forms.ModelMultipleChoiceField(
        label=capfirst(_("venues")),
        queryset=Venue.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    venue_order = forms.ChoiceField(
        label=capfirst(_("with several venues")),
        choices=VenueOrder.CHOICES,
        initial=VenueOrder.EVERY,
        widget=forms.RadioSelect,
    )
    dates = forms.CharField(
        label=capfirst(_("list of dates")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One date per line, for example 2027-02-03 or 3 February 2027 (the month in "
            "words: 3/2/2027 could be two dates). Or use a weekday."
        ),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=capfirst(_("on these weekdays")),
        required=False,
        coerce=int,
        choices=sorted(WEEKDAYS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    first_date = inputs.DateField(label=capfirst(_("first date")), required=False)
    last_date = inputs.DateField(label=capfirst(_("last date")), required=False)
    start_time = inputs.TimeField(label=capfirst(_("starts (local time)")))
    end_time = inputs.TimeField(label=capfirst(_("ends (local time)")))
    spoken_languages = spoken_languages_field()
    reminder_offsets = reminder_offsets_field()
    published = forms.BooleanField(
        label=capfirst(_("published")),
        required=False,
        help_text=_("Only published meetings appear on the site."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(Meeting, fields=TEXT_FIELDS + FACT_FIELDS)
        for name in TEXT_FIELDS + FACT_FIELDS:
            self.fields[name] = model_fields[name]
        for name in TEXT_FIELDS:  # "Título (inglés)", not modeltranslation's "Título [en]"
            self.fields[name].label = languages.field_label(Meeting._meta.get_field(name))
        self.fields[languages.column("title", settings.LANGUAGE_CODE)].required = True
        when = ["venues", "venue_order", "dates", "weekdays", "first_date", "last_date"]
        when += ["start_time", "end_time"]
        facts = FACT_FIELDS[:2] + ["spoken_languages"] + FACT_FIELDS[2:]
        self.order_fields(TEXT_FIELDS + when + facts + ["published", "reminder_offsets"])

    def clean_dates(self) -> list[date]:
        """Each non-empty line is a date (several ISO dates may share a line); the line number
        says which one is wrong, and a date in numbers only is refused as ambiguous, a date
        listed twice as a slip."""
        found, bad = {}, []  # date -> the line it is on
        for number, line in enumerate(self.cleaned_data["dates"].splitlines(), start=1):
            for text in split_dates(line):
                try:
                    day = inputs.parse_date(text)
                    problem = None if day else inputs.date_advice(text, [])
                except inputs.AmbiguousDate as error:
                    day, problem = None, error.message
                if day in found:  # a slip for another date: only the officer knows which
                    problem = gettext("%(date)s is already on line %(line)s.") % {
                        "date": date_format(day, "DATE_FORMAT"),
                        "line": found[day],
                    }
                if problem:
                    bad.append(
                        gettext("line %(line)s: %(problem)s") % {"line": number, "problem": problem}
                    )
                else:
                    found[day] = number
        if bad:
            raise forms.ValidationError([capfirst(problem) for problem in bad])  # one per line
        return list(found)

    def clean(self) -> dict:
        data = super().clean()
        self._check_dates(data)
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("A meeting must end after it starts."))
        if data.get("published") and not completeness.may_publish(data):
            self.add_error("published", completeness.PUBLISH_ERROR)
        return data

    def _check_dates(self, data: dict) -> None:
        listed, weekdays = data.get("dates"), data.get("weekdays")
        first, last = data.get("first_date"), data.get("last_date")
        if listed is None:
            return  # clean_dates already reported the problem
        # Each mistake is put on the input to fix, so the summary at the top links to it.
        if listed and (weekdays or first or last):
            self.add_error("dates", _("Give either a list of dates or a weekday, not both."))
        elif not listed and not weekdays:
            self.add_error("dates", _("Give a list of dates or a weekday between two dates."))
        elif weekdays and not (first and last):
            missing = "last_date" if first else "first_date"
            self.add_error(missing, _("Give the first and the last date for the weekday."))
        elif first and last and last < first:
            self.add_error("last_date", _("The last date must come after the first."))
        elif len(self.days()) > MAX_MEETINGS:
            self.add_error(
                "dates" if listed else "last_date",
                forms.ValidationError(
                    _("That is more than %(max)s meetings; check the dates."),
                    params={"max": MAX_MEETINGS},
                ),
            )

    def error_summary(self) -> list[tuple[str, str]]:
        """What to fix, each linking to its input (shown at the top of the form)."""
        return form_errors.error_summary(self)

    def languages_in_words(self) -> str:
        """The site's languages as the form's introduction names them ("Spanish and English")."""
        return list_with_and(languages.in_sentence(languages.name(c)) for c in languages.codes())

    def described(self) -> preview.Described:
        """Title, reminders, published and missing titles, for the preview."""
        return preview.describe(self.cleaned_data)

    def days(self) -> list[date]:
        """The dates of the series, in order, without repeats."""
        data = self.cleaned_data
        if data.get("dates"):
            return sorted(set(data["dates"]))
        first, last, weekdays = data["first_date"], data["last_date"], set(data["weekdays"])
        span = (last - first).days + 1
        every = (first + timedelta(days=n) for n in range(min(span, 7 * (MAX_MEETINGS + 1))))
        return [day for day in every if day.weekday() in weekdays]

    def meeting_values(self) -> dict:
        """The field values every meeting of the series shares."""
        names = TEXT_FIELDS + FACT_FIELDS + ["spoken_languages", "published", "reminder_offsets"]
        return {name: self.cleaned_data[name] for name in names}


def split_dates(line: str) -> list[str]:
    """A line of ISO dates separated by commas or spaces, or one date in words."""
    line = line.strip()
    parts = [p for p in re.split(r"[,;\s]+", line) if p]
    if parts and all(inputs.ISO.fullmatch(p) for p in parts):
        return parts
    return [p.strip() for p in line.split(";") if p.strip()]


@dataclass
class Row:
    """One meeting the series will create, and what stops it, if anything."""

    number: int
    venue: Venue
    starts_at: datetime
    ends_at: datetime
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown, never blocking


def local_datetime(day: date, at: time) -> datetime | None:
    """The aware local datetime, or None when the clock skips that time (spring forward)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    value = datetime.combine(day, at, tzinfo=zone)
    round_trip = value.astimezone(UTC).astimezone(zone)
    return value if round_trip.replace(tzinfo=None) == value.replace(tzinfo=None) else None


def plan(days: list[date], venues: list[Venue], order: str, start: time, end: time) -> list[Row]:
    """The rows in date order, each checked on its own against the clock and the calendar."""
    pairs = (
        [(day, venues[i % len(venues)]) for i, day in enumerate(days)]
        if order == VenueOrder.ROTATE
        else [(day, venue) for day in days for venue in venues]
    )
    rows = [make_row(n, day, venue, start, end) for n, (day, venue) in enumerate(pairs, start=1)]
    mark_clashes(rows)
    return rows


def make_row(number: int, day: date, venue: Venue, start: time, end: time) -> Row:
    """One row, checked against the clock: a time that does not exist, or a past date."""
    starts_at, ends_at = local_datetime(day, start), local_datetime(day, end)
    row = Row(number, venue, starts_at or _nominal(day, start), ends_at or _nominal(day, end))
    if starts_at is None or ends_at is None:
        row.problems.append(gettext("That time does not exist that day (clocks change)."))
    elif starts_at < timezone.now():
        row.problems.append(gettext("This date is in the past."))
    else:
        row.warnings = cautions.cautions(starts_at, ends_at, past=False)
    return row


def _nominal(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def mark_clashes(rows: list[Row]) -> None:
    """A row overlapping a meeting already at the same venue (or another row) cannot be made."""
    if not rows:
        return
    existing = Meeting.objects.filter(
        venue__in={row.venue for row in rows},
        starts_at__lt=max(row.ends_at for row in rows),
        ends_at__gt=min(row.starts_at for row in rows),
    ).exclude(status="cancelled")
    taken = [(m.venue_id, m.starts_at, m.ends_at) for m in existing]
    for row in rows:
        if any(v == row.venue.pk and s < row.ends_at and e > row.starts_at for v, s, e in taken):
            row.problems.append(gettext("The venue already has a meeting at that time."))
        taken.append((row.venue.pk, row.starts_at, row.ends_at))


def create(rows: list[Row], values: dict) -> list[Meeting]:
    """Save every row as a meeting in one transaction; refuse if any row has a problem."""
    if not rows or any(row.problems for row in rows):
        raise ValueError("A series with problems cannot be created.")
    meetings = []
    with transaction.atomic():
        for row in rows:
            meeting = Meeting(
                venue=row.venue, starts_at=row.starts_at, ends_at=row.ends_at, **values
            )
            meeting.full_clean(exclude=["slug"])
            meeting.save()
            meetings.append(meeting)
    return meetings
