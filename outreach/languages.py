"""The site's languages, from one setting: settings.LANGUAGES (the LANGUAGES variable).

Everything that depends on which languages the site speaks asks here, so no other code names
a language code: the language switch and hreflang links, the languages a reminder can be sent
in, the languages a meeting must have before it is published, the translated columns of a
field, which way a language is written.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst


def codes() -> list[str]:
    """The enabled languages' codes, in the site's order (the language switch's order)."""
    return [code for code, _name in settings.LANGUAGES]


def default() -> str:
    """The language a visitor gets when the browser asks for none of ours; every meeting has
    a title in it, and a translated field with no text falls back to it."""
    return settings.LANGUAGE_CODE


def active() -> str:
    """The code of the language being rendered now, or the default outside a request."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def choices() -> list[tuple[str, str]]:
    """(code, name in the active language) for each enabled language. A callable, so a model
    field's choices follow the setting without a migration per install."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def name(code: str) -> str:
    """The language's name in the active language ("Vietnamese", "vietnamita")."""
    return str(dict(settings.LANGUAGES).get(code) or translation.get_language_info(code)["name"])


def in_sentence(language_name: str) -> str:
    """A language's name as written inside a sentence ("Idiomas: español, inglés")."""
    # Translators: write "lowercase" if your language writes language names in lowercase
    # inside a sentence (Spanish: "Idiomas: español, inglés"); otherwise keep "keep".
    if translation.pgettext("language names inside a sentence", "keep") == "lowercase":
        return language_name[:1].lower() + language_name[1:]
    return language_name


def field_label(field) -> str:
    """A translated model field's label with its language in words, as staff read it:
    "Título (inglés)" where modeltranslation writes "Título [en]"."""
    code = getattr(field, "language", None)
    original = getattr(field, "translated_field", field)
    label = capfirst(original.verbose_name)
    if not code:
        return label
    # Translators: a form label: the field, then the language of the text, e.g. "Título (inglés)".
    return translation.gettext("%(field)s (%(language)s)") % {
        "field": label,
        "language": in_sentence(name(code)),
    }


def own_name(code: str) -> str:
    """The language named in itself, as a reader of it looks for it: "Español", "Tiếng Việt"."""
    # NFC: Django writes "Tiếng Việt" with combining accents, which some fonts draw apart.
    return capfirst(unicodedata.normalize("NFC", translation.get_language_info(code)["name_local"]))


def own_choices() -> list[tuple[str, str]]:
    """(code, name in itself) for each enabled language: a resident finds their own."""
    return [(code, own_name(code)) for code in codes()]


def is_rtl(code: str | None = None) -> bool:
    """Whether the language (the active one by default) is written right to left."""
    return bool(translation.get_language_info(code or active())["bidi"])


def direction(code: str | None = None) -> str:
    """The HTML dir attribute's value for the language: "rtl" or "ltr"."""
    return "rtl" if is_rtl(code) else "ltr"


# A phone number in a right-to-left sentence: "(214) 555-0100" must stay one left-to-right run,
# not pieces the bidi rules put in reverse order ("555-0100 (214)"). Unicode isolates (LRI ...
# PDI) keep it whole in a PDF and a browser alike. Times and years ("6:30", "2027") are left
# alone: the bidi rules keep them in order already.
PHONE_NUMBER = re.compile(r"\+?\(?\d[\d ().-]{5,}\d")
PHONE_DIGITS = 7


def isolate_phone_numbers(text: str, code: str | None = None) -> str:
    """`text` with each phone number kept left to right, when `code` (default: the active
    language) is written right to left; else `text` unchanged."""
    if not is_rtl(code):
        return text

    def isolate(match: re.Match) -> str:
        number = match.group(0)
        if sum(c.isdigit() for c in number) < PHONE_DIGITS:
            return number
        # No-break spaces: "(214) 555-0100" never splits across two lines either.
        return "\u2066" + number.replace(" ", "\u00a0") + "\u2069"

    return PHONE_NUMBER.sub(isolate, text)


def publish_required() -> list[str]:
    """The languages a meeting must have its title and description in before it is published
    (settings.PUBLISH_LANGUAGES; none when ALLOW_PUBLISH_WITHOUT_SPANISH is true)."""
    if settings.ALLOW_PUBLISH_WITHOUT_SPANISH:
        return []
    enabled = codes()
    return [code for code in settings.PUBLISH_LANGUAGES if code in enabled]


def column(field: str, code: str) -> str:
    """The translated column of a field in one language ("title_vi")."""
    return f"{field}_{code}"


def columns(field: str) -> list[str]:
    """The field's columns in every enabled language, in the site's order."""
    return [column(field, code) for code in codes()]


def disabled_columns(fields) -> list[str]:
    """Columns that exist (shipped migrations) for languages this install has not enabled."""
    enabled = set(codes())
    return [
        column(field, code)
        for field in fields
        for code in settings.MODELTRANSLATION_LANGUAGES
        if code not in enabled
    ]
