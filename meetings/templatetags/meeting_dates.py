from django import template

from meetings import dates

register = template.Library()

register.filter("long_date", dates.long_date)
register.filter("day_heading", dates.day_heading)
register.filter("clock", dates.clock)


@register.simple_tag
def time_range(start, end) -> str:
    return dates.time_range(start, end)
