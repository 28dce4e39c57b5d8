"""CSRF tokens and cookies for cached pages, made the way Django makes them, several times cheaper.

A page with a form is kept with a marker where its token was; each visitor served from the cache
gets their own token and cookie here (outreach/pagecache.py, and pages kept whole in
outreach/fragments.py). The meeting page's two forms carry no token (outreach/csrf.py), so a
meeting page needs none of this.
"""

from __future__ import annotations

import secrets
import time
from http.cookies import Morsel

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.http import http_date

# Byte b (0-247) -> CSRF_ALLOWED_CHARS[b % 62]; 248-255 are dropped (248 = 4 x 62), so each
# character is equally likely, as with Django's get_random_string.
_CHAR_OF_BYTE = bytes.maketrans(bytes(range(248)), (CSRF_ALLOWED_CHARS * 4).encode())
_DROPPED = bytes(range(248, 256))


def _random_chars(count: int) -> str:
    """`count` characters drawn uniformly from CSRF_ALLOWED_CHARS with the secrets module, in
    one system call and one bytes.translate (no Python loop per character)."""
    chars = b""
    while len(chars) < count:
        chars += secrets.token_bytes(count + 8).translate(_CHAR_OF_BYTE, _DROPPED)
    return chars[:count].decode()


# (secret char, mask char) -> the cipher char Django's _mask_cipher_secret makes.
_CIPHER = {
    (x, y): CSRF_ALLOWED_CHARS[(i + j) % 62]
    for i, x in enumerate(CSRF_ALLOWED_CHARS)
    for j, y in enumerate(CSRF_ALLOWED_CHARS)
}


def csrf_token_for(request: HttpRequest) -> str:
    """What django.middleware.csrf.get_token(request) returns, minted faster.

    The visitor's secret (read from their cookie by CsrfViewMiddleware.process_request), or a
    new one, marked to be set as the cookie; then a masked token, with a fresh mask each time
    (BREACH), that Django's CSRF check unmasks exactly as it unmasks its own.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(CSRF_SECRET_LENGTH)
    return mask + "".join(map(_CIPHER.__getitem__, zip(secret, mask, strict=True)))


class _MadeCookie(Morsel):
    """The CSRF cookie as CsrfViewMiddleware sets it, whose Set-Cookie text was made from a
    template with only the value put in (Morsel.OutputString re-checks and re-formats every
    attribute each time: a tenth of a cached meeting page's cost)."""

    text = ""

    def OutputString(self, attrs: list[str] | None = None) -> str:  # noqa: N802 (Morsel's)
        return self.text if attrs is None else super().OutputString(attrs)


# (settings seen, second, cookie without its value, Set-Cookie text before and after the value):
# built once a second, copied per visitor.
_cookie: tuple[object, int, Morsel, str, str] | None = None
_VALUE_MARKER = "csrfvaluemarker"


def _cookie_template(now: float) -> tuple[Morsel, str, str]:
    global _cookie
    seen = settings._wrapped  # a new object whenever settings are overridden (tests)
    second = int(now)
    kept = _cookie
    if kept is not None and kept[0] is seen and kept[1] == second:
        return kept[2], kept[3], kept[4]
    # Exactly what CsrfViewMiddleware's response.set_cookie(...) writes.
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        _VALUE_MARKER,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE or None,
        httponly=settings.CSRF_COOKIE_HTTPONLY or None,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    if settings.CSRF_COOKIE_AGE is not None:
        response.cookies[settings.CSRF_COOKIE_NAME]["expires"] = http_date(
            second + settings.CSRF_COOKIE_AGE
        )
    template = response.cookies[settings.CSRF_COOKIE_NAME]
    before, after = template.OutputString().split(_VALUE_MARKER)
    _cookie = (seen, second, template, before, after)
    return template, before, after


def set_csrf_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """What CsrfViewMiddleware.process_response does once a token was used (the stored page
    already says Vary: Cookie): the visitor's secret as the cookie, renewed or new."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return
    template, before, after = _cookie_template(time.time())
    # The secret is CSRF_SECRET_LENGTH letters and digits (minted here, or checked by
    # CsrfViewMiddleware.process_request): nothing in it needs quoting.
    value = request.META["CSRF_COOKIE"]
    morsel = _MadeCookie()
    dict.update(morsel, template)
    morsel._key, morsel._value, morsel._coded_value = template.key, value, value
    morsel.text = before + value + after
    response.cookies[settings.CSRF_COOKIE_NAME] = morsel
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
