"""Counts the admin's own pages (delete confirmations) need from the reminders side."""

from django import template

from meetings import audience

register = template.Library()


@register.filter
def subscriber_total(meetings) -> int:
    """Confirmed subscribers of a meeting or a queryset of meetings (counts only)."""
    ids = [meetings.pk] if hasattr(meetings, "pk") else [m.pk for m in meetings]
    return sum(a.total for a in audience.audiences(ids).values())


@register.filter
def join_ids(meetings) -> str:
    return ",".join(str(m.pk) for m in meetings)
