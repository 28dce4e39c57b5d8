from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation

from outreach import languages


def _in_language(path: str, code: str) -> str:
    """This page's address in another language, or that language's home if it has none."""
    return _translated(path, code, translation.get_language(), settings.ROOT_URLCONF)


# Resolving and reversing costs a tenth of a cold page; the answer depends only on these four.
@lru_cache(maxsize=4096)
def _translated(path: str, code: str, active: str | None, urlconf: str) -> str:
    translated = translate_url(path, code)
    if translated != path or translation.get_language_from_path(path) == code:
        return translated
    with translation.override(code):
        return reverse("meetings:upcoming")


def site(request: HttpRequest) -> dict:
    """This very page in each language, for the switch (each language named in itself) and
    hreflang links, with the way each is written (a name in Arabic reads right to left)."""
    path = request.path
    alternates = [
        (code, languages.own_name(code), _in_language(path, code), languages.direction(code))
        for code in languages.codes()
    ]
    return {
        "language_alternates": alternates,
        "SITE_URL": settings.SITE_URL,
    }
