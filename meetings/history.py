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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach import languages

from . import dates
from .enums import SpokenLanguage
from .models import Meeting
from .series import FACT_FIELDS

# The fields whose values the history shows (the rest are named, as Django does).
TRACKED = ["status", "starts_at", "ends_at", "venue", "published", "spoken_languages"]
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
    """{"via": tool, "lines": ["Status: Scheduled → Cancelled", ...], "original": pk} for
    one history entry, in the active language (empty for entries without values)."""
    try:
        parts = json.loads(entry.change_message or "[]")
    except ValueError:
        return {}
    for part in parts if isinstance(parts, list) else []:
        if isinstance(part, dict) and "values" in part:
            lines = [_line(change, entry.action_flag) for change in part["values"]]
            via = TOOLS.get(part.get("via", ""), "")
            return {"via": via, "lines": lines, "original": part.get("original")}
    return {}


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
