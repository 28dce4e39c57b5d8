"""How many messages a meeting brings, counted from the reminder kinds, so the consent text,
the privacy page and the first text cannot promise a number the engine does not keep.

Reminders are fixed per meeting; notices (cancelled, changed, back on) come only when staff
change a meeting, one each time, and are never capped: a resident must not go to a meeting
that moved because a cap kept the notice back.
"""

from .enums import REMINDER_KINDS


def reminders_per_meeting() -> int:
    """Reminders each meeting brings (the day before, two hours before)."""
    return len(REMINDER_KINDS)
