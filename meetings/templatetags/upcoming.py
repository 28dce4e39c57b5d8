"""{% upcoming_days days %}: the upcoming list, a day at a time, each day kept by its cards.

The loop is here rather than in the template: a template {% for %} with a {% fragment %} per
day resolved its variables and looked up the language once a day, a third of a changed list's
render; here the language is read once, and a day whose cards did not change is one look-up.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from outreach.fragments import fragments

register = template.Library()

DAY_TEMPLATE = "meetings/_day.html"


@register.simple_tag(takes_context=True)
def upcoming_days(context: template.Context, days: list) -> SafeString:
    """Each (day, cards) of `days` rendered with meetings/_day.html, kept per language, place
    on the page and cards (a card's key is its row: every value it shows)."""
    day_template = get_template(DAY_TEMPLATE).template
    language = get_language()
    parts = []
    for number, (day, meetings) in enumerate(days, start=1):

        def render(day=day, meetings=meetings, number=number) -> str:
            with context.push(day=day, meetings=meetings, number=number):
                return day_template.render(context)

        key = (DAY_TEMPLATE, language, number, day, meetings)
        parts.append(fragments.get_or_render(key, render))
    return mark_safe("\n".join(parts))  # noqa: S308 (rendered by the template engine)
