"""Translation completeness: which text a meeting or venue still lacks, in each of the site's
languages (settings.LANGUAGES).

Staff must see at a glance what is missing, and a meeting is not published without its title
and description in each language of settings.PUBLISH_LANGUAGES (default: Spanish, the language
most residents read).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Model, Q
from django.utils.functional import lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext

from outreach import languages

from .models import Meeting, Venue

# Fields a meeting needs in every language; others are only missing when another has text.
REQUIRED = {Meeting: ("title", "description"), Venue: ()}
OPTIONAL = {Meeting: ("host",), Venue: ("notes",)}


def publish_error() -> str:
    """Why a meeting may not be published yet, naming the languages it needs."""
    names = [languages.in_sentence(languages.name(code)) for code in languages.publish_required()]
    return gettext(
        "A meeting cannot be published without its title and description in %(languages)s. "
        "Add them on those language tabs first."
    ) % {"languages": get_text_list(names, gettext("and"))}


PUBLISH_ERROR = lazy(publish_error, str)()


def _text(obj: Model, field: str, lang: str) -> str:
    return (getattr(obj, languages.column(field, lang), "") or "").strip()


def missing_fields(obj: Meeting | Venue) -> list[tuple[str, str]]:
    """(language, field name) pairs that are empty: required ones always, others when
    another language has text."""
    model = type(obj)
    codes = languages.codes()
    missing = []
    for field in REQUIRED[model] + OPTIONAL[model]:
        texts = {lang: _text(obj, field, lang) for lang in codes}
        for lang in codes:
            if not texts[lang] and (field in REQUIRED[model] or any(texts.values())):
                missing.append((lang, field))
    return missing


def describe_missing(obj: Meeting | Venue) -> str:
    """ "Spanish: description; English: notes" in the active language, or "" when complete."""
    by_lang: dict[str, list[str]] = {}
    for lang, field in missing_fields(obj):
        name = str(type(obj)._meta.get_field(field).verbose_name)
        by_lang.setdefault(lang, []).append(name)
    return "; ".join(
        f"{languages.name(lang)}: {', '.join(names)}" for lang, names in by_lang.items()
    )


def ready_to_publish(obj: Meeting | Venue) -> bool:
    """Whether the text the publishing languages need is all there."""
    required = set(languages.publish_required())
    return not any(lang in required for lang, _field in missing_fields(obj))


def missing_for_publishing_q() -> Q:
    """Meetings whose text in a publishing language is incomplete, as a database filter."""
    q = Q()
    default = languages.default()
    for lang in languages.publish_required():
        for field in REQUIRED[Meeting]:
            column = languages.column(field, lang)
            q |= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
        for field in OPTIONAL[Meeting]:
            column, source = languages.column(field, lang), languages.column(field, default)
            empty = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
            has_default = ~Q(**{f"{source}__isnull": True}) & ~Q(**{source: ""})
            q |= empty & has_default
    return q


def may_publish(texts: Mapping[str, str | None]) -> bool:
    """Whether a meeting with these texts ({"title_<code>": …, "description_<code>": …}, a form's
    cleaned data or a CSV row) may be published under the current settings."""
    return all(
        (texts.get(languages.column(field, lang)) or "").strip()
        for lang in languages.publish_required()
        for field in REQUIRED[Meeting]
    )
