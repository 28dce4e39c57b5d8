"""Translation completeness: which English or Spanish text a meeting or venue still lacks.

Residents are mostly Spanish speakers, so staff must see at a glance what is missing, and a
meeting is not published without its Spanish title and description (unless
settings.ALLOW_PUBLISH_WITHOUT_SPANISH says otherwise).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Meeting, Venue

LANGUAGES = ("en", "es")
# Fields a meeting needs in both languages; others are only missing when the other has text.
REQUIRED = {Meeting: ("title", "description"), Venue: ()}
OPTIONAL = {Meeting: ("host",), Venue: ("notes",)}

PUBLISH_ERROR = _(
    "A meeting cannot be published without its Spanish title and description. "
    "Add them on the Spanish tab first."
)


def _text(obj: Model, field: str, lang: str) -> str:
    return (getattr(obj, f"{field}_{lang}", "") or "").strip()


def missing_fields(obj: Meeting | Venue) -> list[tuple[str, str]]:
    """(language, field name) pairs that are empty: required ones always, others when the
    other language has text."""
    model = type(obj)
    missing = []
    for field in REQUIRED[model] + OPTIONAL[model]:
        texts = {lang: _text(obj, field, lang) for lang in LANGUAGES}
        for lang in LANGUAGES:
            if not texts[lang] and (field in REQUIRED[model] or any(texts.values())):
                missing.append((lang, field))
    return missing


def describe_missing(obj: Meeting | Venue) -> str:
    """ "Spanish: description; English: notes" in the active language, or "" when complete."""
    labels = {"en": gettext("English"), "es": gettext("Spanish")}
    by_lang: dict[str, list[str]] = {}
    for lang, field in missing_fields(obj):
        name = str(type(obj)._meta.get_field(field).verbose_name)
        by_lang.setdefault(lang, []).append(name)
    return "; ".join(f"{labels[lang]}: {', '.join(names)}" for lang, names in by_lang.items())


def spanish_complete(obj: Meeting | Venue) -> bool:
    return not any(lang == "es" for lang, _field in missing_fields(obj))


def spanish_missing_q() -> Q:
    """Meetings whose Spanish text is incomplete, as a database filter (for list filters)."""
    q = Q()
    for field in REQUIRED[Meeting]:
        q |= Q(**{f"{field}_es__isnull": True}) | Q(**{f"{field}_es": ""})
    for field in OPTIONAL[Meeting]:
        empty_es = Q(**{f"{field}_es__isnull": True}) | Q(**{f"{field}_es": ""})
        has_en = ~Q(**{f"{field}_en__isnull": True}) & ~Q(**{f"{field}_en": ""})
        q |= empty_es & has_en
    return q


def may_publish(title_es: str | None, description_es: str | None) -> bool:
    """Whether a meeting with this Spanish text may be published under the current setting."""
    if settings.ALLOW_PUBLISH_WITHOUT_SPANISH:
        return True
    return bool((title_es or "").strip() and (description_es or "").strip())
