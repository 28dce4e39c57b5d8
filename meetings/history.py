"""A meeting's history with values: who changed which field from what to what, and with which
tool, shown in the admin's history page in the reader's language.

Every change path writes a LogEntry (Django's own history) whose change message carries, next
to Django's usual {"changed": {"fields": [...]}} (so `get_change_message()` still reads
"Changed status."), one more part: {"values": [{"field", "old", "new"}], "via": tool}. Values
are stored language-neutral (a status code, an ISO time, a venue's name, the text typed) and
put into words when the page is read, so a Spanish and an English officer each read it in
their own language.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach import languages

from . import dates
from .enums import REMINDER_SHORT, ReminderOffset, SpokenLanguage
from .models import Meeting
from .series import FACT_FIELDS

# The fields whose values the history shows (the rest are named, as Django does).
TRACKED = ["status", "starts_at", "ends_at", "venue", "published", "spoken_languages"]
TRACKED += ["reminder_offsets"]
TRACKED += FACT_FIELDS
TOOLS = {
    "admin": _("Meeting form"),
    "cancel": _("Cancel with notice"),
    "undo": _("Undo the cancellation"),
    "reschedule": _("Reschedule"),
    "series": _("Schedule a series"),
    "import": _("Import from CSV"),
    "duplicate": _("Duplicate"),
}


def _tracked_names() -> list[str]:
    from modeltranslation.translator import translator

    translated = translator.get_options_for_model(Meeting).all_fields
    return TRACKED + [name for field in translated.values() for name in (f.name for f in field)]


def snapshot(meeting: Meeting) -> dict[str, object]:
    """The tracked values of a meeting, stored as plain JSON values."""
    return {name: _plain(getattr(meeting, name)) for name in _tracked_names()}


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def differences(before: dict, after: dict) -> list[dict]:
    return [
        {"field": name, "old": before.get(name), "new": after[name]}
        for name in after
        if before.get(name) != after[name] and (before.get(name) or after[name])
    ]


def _field_names(changes: list[dict]) -> list[str]:
    with translation.override(None):
        return [str(Meeting._meta.get_field(c["field"]).verbose_name) for c in changes]


def log_change(user_id: int, meeting: Meeting, before: dict, via: str) -> None:
    """One history entry for a change made by `via`, with each value before and after."""
    changes = differences(before, snapshot(meeting))
    if not changes:
        return
    message = [{"changed": {"fields": _field_names(changes)}}, {"values": changes, "via": via}]
    LogEntry.objects.log_actions(
        user_id=user_id,
        queryset=[meeting],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def log_added(user_id: int, meetings: list[Meeting], via: str, **extra) -> None:
    """History entries for meetings a tool created, with what each was created as."""
    for meeting in meetings:
        values = differences({}, snapshot(meeting))
        LogEntry.objects.log_actions(
            user_id=user_id,
            queryset=[meeting],
            action_flag=ADDITION,
            change_message=[{"added": {}}, {"values": values, "via": via, **extra}],
            single_object=True,
        )


def form_changes(form) -> list[dict]:
    """Old and new values of the admin form's changed fields that the history tracks."""
    tracked = set(_tracked_names())
    return [
        {
            "field": name,
            "old": _plain(form.initial.get(name)),
            "new": _plain(form.cleaned_data.get(name)),
        }
        for name in form.changed_data
        if name in tracked
    ]


# --- Reading --------------------------------------------------------------------------------


def describe(entry: LogEntry) -> dict:
    """{"summary": "Changed Status.", "via": tool, "lines": ["Status: Scheduled → Cancelled",
    ...], "original": pk} for one history entry, in the active language."""
    try:
        parts = json.loads(entry.change_message or "[]")
    except ValueError:
        parts = []
    parts = parts if isinstance(parts, list) else []
    found = {"summary": summary(entry, parts)}
    for part in parts:
        if isinstance(part, dict) and "values" in part:
            lines = [_line(change, entry.action_flag) for change in part["values"]]
            via = TOOLS.get(part.get("via", ""), "")
            return found | {"via": via, "lines": lines, "original": part.get("original")}
    return found


def summary(entry: LogEntry, parts: list) -> str:
    """Django's "Changed status and reason in the notice [es]." with each field named in the
    reader's words ("Se modificó: Estado y Motivo del aviso (español)."); Django's own
    message for anything else."""
    changed = [p["changed"] for p in parts if isinstance(p, dict) and "changed" in p]
    if len(changed) != 1 or "name" in changed[0] or len(parts) != 1 + _has_values(parts):
        return entry.get_change_message()
    labels = [_label_of(name) for name in changed[0].get("fields", [])]
    return gettext("Changed {fields}.").format(fields=get_text_list(labels, gettext("and")))


def _has_values(parts: list) -> int:
    return int(any(isinstance(p, dict) and "values" in p for p in parts))


def _label_of(stored: str) -> str:
    """A field named in a history entry (its English verbose name or form label, as Django
    stores it) in the reader's words, its language too; unknown names as Django shows them."""
    field = _fields_by_english_name().get(str(stored).lower())
    return languages.field_label(field) if field is not None else gettext(stored)


def _fields_by_english_name() -> dict[str, models.Field]:
    with translation.override(None):
        return {
            str(field.verbose_name).lower(): field
            for field in Meeting._meta.get_fields()
            if getattr(field, "verbose_name", None)
        }


def _line(change: dict, action: int) -> str:
    name = change.get("field", "")
    try:
        field = Meeting._meta.get_field(name)
        label = languages.field_label(field)
    except FieldDoesNotExist:
        field, label = None, name
    new = show(field, change.get("new"))
    if action == ADDITION:
        return f"{label}: {new}"
    return f"{label}: {show(field, change.get('old'))} → {new}"


def show(field, value: object) -> str:
    """A stored value in words, in the active language."""
    if field is not None and field.name == "reminder_offsets":
        chosen = [kind for kind in ReminderOffset.values if kind in (value or [])]
        return ", ".join(str(REMINDER_SHORT[kind]) for kind in chosen) or gettext("No reminders")
    if value in (None, "", []):
        return gettext("(empty)")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        labels = dict(SpokenLanguage.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return f"{dates.long_date(moment)}, {dates.clock(moment)}"
    return str(value)
