"""How many messages a meeting brings, counted from the reminder kinds, so the consent text,
the privacy page and the first text cannot promise a number the engine does not keep.

Reminders are chosen per meeting from a short list (at most one of each kind); notices
(cancelled, changed, back on) come only when staff change a meeting, one each time, and are
never capped: a resident must not go to a meeting that moved because a cap kept the notice
back.
"""

from datetime import timedelta

from django.conf import settings

from meetings.enums import ReminderOffset
from meetings.facts import list_with_and

from .enums import REMINDER_KINDS


def reminders_per_meeting() -> int:
    """The most reminders a meeting brings (three days, one day and two hours before): the
    number the consent text promises as "up to"."""
    return len(REMINDER_KINDS)


def reminders_for(meeting) -> int:
    """The reminders this meeting brings, as its staff chose (Meeting.reminder_offsets)."""
    return len([kind for kind in meeting.chosen_reminders if kind in REMINDER_KINDS])


def reminder_times(meeting) -> str:
    """When this meeting's reminders go, in the active language ("3 days before (plan your
    visit), 1 day before and 2 hours before"); "" when staff chose none."""
    labels = [str(ReminderOffset(kind).label).lower() for kind in meeting.chosen_reminders]
    return list_with_and(labels)


def reminder_times_ahead(meeting, now) -> str:
    """As reminder_times, only the reminders whose time has not passed at `now` (a sign-up on
    Monday for a Wednesday meeting gets no "3 days before")."""
    hours = settings.REMINDERS_OFFSETS_HOURS
    ahead = [
        str(ReminderOffset(kind).label).lower()
        for kind in meeting.chosen_reminders
        if meeting.starts_at - timedelta(hours=hours[kind]) > now
    ]
    return list_with_and(ahead)
