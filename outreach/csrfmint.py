"""CSRF tokens and cookies for cached pages, made the way Django makes them, several times cheaper.

A page with a form is kept with a marker where its token was; each visitor served from the cache
gets their own token and cookie here (outreach/pagecache.py, and the kept blank reminder form in
outreach/fragments.py).
"""

from __future__ import annotations

import secrets
import time
from http.cookies import Morsel

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.http import http_date


def _random_chars(count: int) -> str:
    """`count` characters drawn uniformly from CSRF_ALLOWED_CHARS with the secrets module.

    Bytes of 248 and above are dropped (248 = 4 x 62), so each character is equally likely,
    as with Django's get_random_string, from one system call instead of one per character.
    """
    chars = []
    while len(chars) < count:
        chars += [CSRF_ALLOWED_CHARS[b % 62] for b in secrets.token_bytes(count + 8) if b < 248]
    return "".join(chars[:count])


_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


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
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CHAR_INDEX[x] + _CHAR_INDEX[y]) % 62]
        for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher


# (settings seen, second, cookie without its value): built once a second, copied per visitor.
_cookie: tuple[tuple, int, Morsel] | None = None


def _cookie_template(now: float) -> Morsel:
    global _cookie
    seen = (
        settings.CSRF_COOKIE_NAME,
        settings.CSRF_COOKIE_AGE,
        settings.CSRF_COOKIE_DOMAIN,
        settings.CSRF_COOKIE_PATH,
        settings.CSRF_COOKIE_SECURE,
        settings.CSRF_COOKIE_HTTPONLY,
        settings.CSRF_COOKIE_SAMESITE,
    )
    second = int(now)
    kept = _cookie
    if kept is not None and kept[0] == seen and kept[1] == second:
        return kept[2]
    # Exactly what CsrfViewMiddleware's response.set_cookie(...) writes.
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        "",
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
    _cookie = (seen, second, template)
    return template


def set_csrf_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """What CsrfViewMiddleware.process_response does once a token was used (the stored page
    already says Vary: Cookie): the visitor's secret as the cookie, renewed or new."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return
    morsel = _cookie_template(time.time()).copy()
    value = request.META["CSRF_COOKIE"]
    morsel.set(settings.CSRF_COOKIE_NAME, value, value)
    response.cookies[settings.CSRF_COOKIE_NAME] = morsel
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
