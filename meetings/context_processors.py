from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation


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
    """The other language's address of this very page, for the switch and hreflang links."""
    path = request.path
    alternates = [(code, name, _in_language(path, code)) for code, name in settings.LANGUAGES]
    return {"language_alternates": alternates, "SITE_URL": settings.SITE_URL}
