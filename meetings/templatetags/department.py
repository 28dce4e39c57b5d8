"""{% department "name" %}: who runs the site, read in the language active where the tag
sits (a flyer switches language per side), from outreach/department.py."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from outreach import department as source

register = template.Library()


@register.simple_tag
def department(field: str) -> str:
    return source.for_templates()[field]


@register.filter
def phone(number: str) -> SafeString:
    """A phone number as one left-to-right piece that never wraps: "214-555-0142" inside an
    Arabic sentence would otherwise show as "0142-555-214" (static/css/site.css: .phone)."""
    return format_html('<bdi dir="ltr" class="phone">{}</bdi>', number)
