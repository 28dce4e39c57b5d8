"""Facts the privacy page states, read from settings so the page cannot drift from the code."""

from django import template
from django.conf import settings

from reminders import frequency

register = template.Library()


@register.simple_tag
def retention_days() -> int:
    """Days after the last meeting before a subscription and its contact are deleted."""
    return settings.REMINDERS_RETENTION_DAYS


@register.simple_tag
def reminders_per_meeting() -> int:
    """Reminders each meeting brings (reminders/frequency.py)."""
    return frequency.reminders_per_meeting()
