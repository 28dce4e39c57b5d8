"""Template helpers for the public meeting pages."""

from django import template
from django.utils.html import format_html

from meetings import public

register = template.Library()


@register.simple_tag
def lang_attr(obj: object, field: str) -> str:
    """` lang="…"` when a translated field fell back to the default language on a page in
    another language. Screen readers then read that text with the right pronunciation.
    """
    shown = public.shown_language(obj, field)
    if shown == public.page_language():
        return ""
    return format_html(' lang="{}"', shown)
