"""{% department "name" %}: who runs the site, read in the language active where the tag
sits (a flyer switches language per side), from outreach/department.py."""

from django import template

from outreach import department as source

register = template.Library()


@register.simple_tag
def department(field: str) -> str:
    return source.for_templates()[field]
