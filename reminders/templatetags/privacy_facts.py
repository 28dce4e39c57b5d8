"""Facts the privacy page states, read from settings so the page cannot drift from the code."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from meetings import dates
from reminders import frequency

register = template.Library()


@register.simple_tag
def retention_days() -> int:
    """Days after the last meeting before a subscription and its contact are deleted."""
    return settings.REMINDERS_RETENTION_DAYS


@register.simple_tag
def reminders_per_meeting() -> int:
    """The most reminders a meeting brings (reminders/frequency.py)."""
    return frequency.reminders_per_meeting()


@register.simple_tag
def reminder_times(meeting) -> str:
    """When this meeting's reminders go, as staff chose: "3 days before (plan your visit),
    1 day before and 2 hours before" in the active language; "" when none."""
    return frequency.reminder_times(meeting)


@register.simple_tag
def all_meetings_days() -> int:
    """Days "every upcoming meeting" reminders last from sign-up."""
    return settings.REMINDERS_ALL_MEETINGS_DAYS


@register.simple_tag
def all_meetings_until() -> str:
    """The day "every upcoming meeting" reminders asked for now would end, written out."""
    return dates.long_date(timezone.now() + timedelta(days=settings.REMINDERS_ALL_MEETINGS_DAYS))
