"""What a staff preview (series form, CSV import) says of the meetings it will create, beside
the date and venue: the title, the reminders and whether it is published, in the staff's
language, and which of the site's languages have no title yet (a note: the publish rule in
meetings.completeness decides what is refused)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from outreach import languages

from .enums import REMINDER_SHORT, ReminderOffset
from .facts import list_with_and


@dataclass
class Described:
    title: str
    reminders: str
    published: str
    untitled: str  # "" when every enabled language has a title


def describe(values: dict) -> Described:
    """`values` holds title_<code> columns, "published" and "reminder_offsets" (a list)."""
    title = values.get(languages.column("title", languages.active())) or values.get(
        languages.column("title", languages.default()), ""
    )
    return Described(
        title=title,
        reminders=reminders_in_words(values.get("reminder_offsets") or []),
        published=gettext("Published: yes")
        if values.get("published")
        else gettext("Published: no"),
        untitled=untitled_note(values),
    )


def reminders_in_words(offsets: list[str]) -> str:
    """ "Reminders: 3 days · 1 day", earliest first, or that there are none."""
    chosen = [str(REMINDER_SHORT[value]) for value in ReminderOffset.values if value in offsets]
    if not chosen:
        return gettext("Reminders: none (only notices of changes)")
    return gettext("Reminders: %(times)s") % {"times": " · ".join(chosen)}


def untitled_note(values: dict) -> str:
    """ "No title in Vietnamese and Arabic", for the enabled languages left empty."""
    empty = [
        languages.in_sentence(languages.name(code))
        for code in languages.codes()
        if not (values.get(languages.column("title", code)) or "").strip()
    ]
    if not empty:
        return ""
    # Translators: a note in a staff preview, e.g. "No title in Vietnamese and Arabic".
    return gettext("No title in %(languages)s") % {"languages": list_with_and(empty)}
