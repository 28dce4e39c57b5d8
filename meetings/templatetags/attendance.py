"""{% plans_to_go meeting as planned %}: whether this browser already said it will go."""

from django import template

from meetings.attendance import open_for_plans, planned_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def plans_to_go(context: template.Context, meeting) -> dict:
    """{"planned": bool, "open": bool} for the button's template."""
    request = context.get("request")
    planned = request is not None and meeting.pk in planned_ids(request)
    return {"planned": planned, "open": open_for_plans(meeting)}
