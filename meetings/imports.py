"""Import sessions from a CSV file: preview with row numbers and problems, then all or nothing.

One row per meeting, with the header line
    date,start,end,venue,title_<code>...,description_<code>...,published
(a title and a description column per language of settings.LANGUAGES, in its order)
(venue by its exact name; date as 2027-02-03 or with the month in words, never 02/03/2027;
times as 18:30 or 6:30 p. m.; published yes/no). Spreadsheets save such files in many ways:
commas or semicolons (Spanish Excel), UTF-8 with or without a BOM, or Windows-1252; all are
read. A row with more or fewer fields than the header, or a quotation mark never closed, is
refused with its row number rather than read into the wrong columns.
An optional last column "reminders" chooses them ("3d 1d 2h"; all three when empty or absent).
Each row goes through the same checks as the series form (series.plan) and the same model
validation when saved (series.create), in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from outreach import languages

from . import completeness, inputs, preview, series
from .enums import ReminderOffset, default_reminder_offsets
from .models import Meeting, Venue

COLUMNS = [
    "date",
    "start",
    "end",
    "venue",
    *languages.columns("title"),
    *languages.columns("description"),
    "published",
    "reminders",
]
TEXT_COLUMNS = [*languages.columns("title"), *languages.columns("description")]
# Another language's columns may be left out of a file: an empty text, as in the admin.
OPTIONAL_COLUMNS = set(TEXT_COLUMNS) - {languages.column("title", settings.LANGUAGE_CODE)}
OPTIONAL_COLUMNS.add("reminders")  # all three when left out
MAX_BYTES = 200_000
TRUE = {"yes", "y", "true", "1", "si", "sí", "x"}  # both languages, as staff type it
# The optional "reminders" column: short names for the ReminderOffset choices.
REMINDER_NAMES = dict(zip(["3d", "1d", "2h"], ReminderOffset.values, strict=True))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    # After the preview the file's text travels back in this field, so confirming imports
    # exactly what was previewed.
    text = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is too large."))
            try:
                data["text"] = decode(upload.read())
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("Save the file as CSV UTF-8 and try again.")
                ) from None
        if not data.get("text"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return data


@dataclass
class ImportRow:
    """One line of the file: the meeting it describes, or what is wrong with it."""

    number: int
    values: dict
    row: series.Row | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def titles(self) -> list[tuple[str, str]]:
        """(language code, the row's title in it), for the preview."""
        return [
            (code, self.values.get(languages.column("title", code), ""))
            for code in languages.codes()
        ]

    @property
    def described(self) -> preview.Described:
        """Reminders, published and the languages with no title, for the preview."""
        return preview.describe(
            self.values
            | {
                "published": self.values.get("published", "").lower() in TRUE,
                "reminder_offsets": _reminders(self.values) or [],
            }
        )


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252 (Excel's "CSV" on a Spanish Windows)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def delimiter(text: str) -> str:
    """Semicolons when the header has more of them than commas (Excel where a comma is the
    decimal mark), else commas."""
    header = text.lstrip().partition("\n")[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_records(text: str) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """(row number, fields) for every non-empty row, and the file's errors (a quotation mark
    never closed). Row 1 is the header, as a spreadsheet numbers them."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter(text), strict=True)
    records, number = [], 0
    try:
        for fields in reader:
            number += 1
            if any(f.strip() for f in fields):
                records.append((number, fields))
    except csv.Error:
        return records, [
            gettext(
                "A quotation mark is not closed (row %(row)s or after). Check the quotation "
                "marks in that row and save the file again."
            )
            % {"row": number + 1}
        ]
    return records, []


def parse(text: str) -> tuple[list[ImportRow], list[str]]:
    """Rows of the file (numbered as in a spreadsheet, the header being row 1) and file errors."""
    records, errors = read_records(text)
    if errors or not records:
        return [], errors or [gettext("The file has no rows.")]
    header = [name.strip().lower() for name in records[0][1]]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        return [], [gettext("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}]
    venues = {v.name.strip().lower(): v for v in Venue.objects.all()}
    rows = [_parse_record(n, fields, header, venues) for n, fields in records[1:]]
    checked = [item for item in rows if item.row]
    series.mark_clashes([item.row for item in checked])  # within the file and the calendar
    for item in checked:
        item.problems += item.row.problems
    return rows, ([] if rows else [gettext("The file has no rows.")])


def _parse_record(
    number: int, fields: list[str], header: list[str], venues: dict[str, Venue]
) -> ImportRow:
    if len(fields) != len(header):
        problem = gettext(
            "Row %(row)s has %(count)s fields; %(expected)s were expected. A comma or "
            "semicolon inside a text must be in quotation marks."
        ) % {"row": number, "count": len(fields), "expected": len(header)}
        return ImportRow(number, {}, problems=[problem])
    line = dict.fromkeys(OPTIONAL_COLUMNS, "") | dict(zip(header, fields, strict=True))
    return _parse_row(number, line, venues)


def _parse_row(number: int, line: dict, venues: dict[str, Venue]) -> ImportRow:
    line = {k: (v or "").strip() for k, v in line.items() if k}
    item = ImportRow(number, line)
    start, end = inputs.parse_time(line["start"]), inputs.parse_time(line["end"])
    try:
        day = inputs.parse_date(line["date"])
    except inputs.AmbiguousDate as error:
        day = None
        item.problems.append(error.message)
    else:
        if day is None:
            item.problems.append(gettext("The date is not a date."))
    venue = venues.get(line["venue"].lower())
    if start is None or end is None:
        item.problems.append(gettext("A time is missing or not like 18:30."))
    elif end <= start:
        item.problems.append(gettext("A meeting must end after it starts."))
    if venue is None:
        item.problems.append(gettext("No venue has that name."))
    if not line[languages.column("title", settings.LANGUAGE_CODE)]:
        item.problems.append(
            gettext("The title in %(language)s is missing.")
            % {"language": languages.name(settings.LANGUAGE_CODE)}
        )
    if _reminders(line) is None:  # what was typed, so the officer sees which cell to fix
        item.problems.append(
            gettext(
                "Row %(row)s: “%(typed)s” is not understood; write 3d, 1d or 2h "
                "(or leave the reminders empty)."
            )
            % {"row": number, "typed": line["reminders"][:40]}
        )
    published = line["published"].lower() in TRUE
    if published and not completeness.may_publish(line):
        item.problems.append(str(completeness.PUBLISH_ERROR))
    if not item.problems:
        item.row = series.make_row(number, day, venue, start, end)
        item.problems += item.row.problems
        item.warnings = item.row.warnings
        item.row.problems = []
    return item


def meeting_values(item: ImportRow) -> dict:
    line = item.values
    return {
        **{column: line[column] for column in TEXT_COLUMNS},
        "published": line["published"].lower() in TRUE,
        "reminder_offsets": _reminders(line),
    }


def _reminders(line: dict) -> list[str] | None:
    """The row's reminders (all three when the column is empty or absent); None if unknown."""
    names = line.get("reminders", "").lower().replace(",", " ").replace(";", " ").split()
    if not names:
        return default_reminder_offsets()
    if set(names) - REMINDER_NAMES.keys():
        return None
    return [REMINDER_NAMES[name] for name in REMINDER_NAMES if name in names]


def create(rows: list[ImportRow]) -> list[Meeting]:
    """Every row becomes a meeting, in one transaction, or none does."""
    if not rows or any(item.problems for item in rows):
        raise ValueError("An import with problems cannot be made.")
    with transaction.atomic():
        return [series.create([item.row], meeting_values(item))[0] for item in rows]


def import_csv(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Upload → preview (row numbers, problems) → confirm imports all rows or none."""
    from .staff.common import admin_context as _context
    from .staff.common import log_added

    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    rows, errors = [], []
    if request.method == "POST" and form.is_valid():
        rows, errors = parse(form.cleaned_data["text"])
        problems = errors or any(item.problems for item in rows)
        if "_confirm" in request.POST and not problems:
            created = create(rows)
            log_added(request, created, "import")
            messages.success(
                request,
                ngettext(
                    "%(count)d meeting was imported.",
                    "%(count)d meetings were imported.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return HttpResponseRedirect(reverse("admin:meetings_meeting_changelist"))
        form = ImportForm(initial={"text": form.cleaned_data["text"]})
    context = _context(
        model_admin,
        request,
        gettext("Import meetings from a CSV file"),
        form=form,
        rows=rows,
        errors=errors,
        columns=",".join(COLUMNS),
        title_columns=[(code, languages.name(code)) for code in languages.codes()],
        problems=sum(bool(item.problems) for item in rows) + len(errors),
        warnings=sum(bool(item.warnings) for item in rows),
    )
    return TemplateResponse(request, "admin/meetings/meeting/import.html", context)
