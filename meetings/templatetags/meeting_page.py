"""Template helpers for the public meeting pages."""

from django import template
from django.utils.html import format_html

from meetings import public

register = template.Library()


@register.simple_tag
def lang_attr(obj: object, field: str) -> str:
    """` lang="en"` when a translated field fell back to English on a page in another language.

    Screen readers then read the English text with English pronunciation.
    """
    shown = public.shown_language(obj, field)
    if shown == public.page_language():
        return ""
    return format_html(' lang="{}"', shown)
