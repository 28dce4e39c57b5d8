"""Choices shown to residents and staff, each with a short translated label."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VenueKind(models.TextChoices):
    CHURCH = "church", _("Church")
    SCHOOL = "school", _("School")
    COMMUNITY_CENTER = "community_center", _("Community center")
    LIBRARY = "library", _("Library")
    OTHER = "other", pgettext_lazy("venue kind", "Other")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting status", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class SpokenLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    VIETNAMESE = "vi", _("Vietnamese")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    ASL = "ase", _("American Sign Language")


class ReminderOffset(models.TextChoices):
    """When a meeting's reminders go out, staff's choice per meeting (the values are the
    reminders app's kinds; the hours are its settings, REMINDERS_OFFSETS_HOURS)."""

    THREE_DAYS = "reminder_3d", _("3 days before (plan your visit)")
    ONE_DAY = "reminder_24h", _("1 day before")
    TWO_HOURS = "reminder_2h", _("2 hours before")


# The hours the labels above say, in words residents and staff read; the settings may not
# move a reminder away from its label (reminders/checks.py refuses that).
LABELLED_HOURS = {
    ReminderOffset.THREE_DAYS: 72,
    ReminderOffset.ONE_DAY: 24,
    ReminderOffset.TWO_HOURS: 2,
}


# The same moments in the fewest words, for staff: a preview ("Reminders: 3 days · 1 day"), the
# history ("3 days, 1 day, 2 hours").
REMINDER_SHORT = {
    ReminderOffset.THREE_DAYS: _("3 days"),
    ReminderOffset.ONE_DAY: _("1 day"),
    ReminderOffset.TWO_HOURS: _("2 hours"),
}


def default_reminder_offsets() -> list[str]:
    """Every offset: a new meeting gets all three reminders unless staff choose fewer."""
    return list(ReminderOffset.values)


class Parking(models.TextChoices):
    FREE_LOT = "free_lot", _("Free parking lot")
    STREET = "street", _("Street parking")
    NONE = "none", _("No parking nearby")
    UNKNOWN = "unknown", _("Parking not confirmed")


class Transit(models.TextChoices):
    BUS_NEAR = "bus_near", _("Bus stop within a 5-minute walk")
    BUS_FAR = "bus_far", _("Bus stop within a 15-minute walk")
    NONE = "none", _("No public transit nearby")
    UNKNOWN = "unknown", _("Transit not confirmed")
