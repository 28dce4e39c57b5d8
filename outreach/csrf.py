"""Django's CSRF check, plus public forms that carry no per-visitor token (`same_origin_form`).

The reminder sign-up and "I plan to go" forms sit on the cached meeting page. With a token in
them, every cached visit had to mint one and set a `csrftoken` cookie: a resident's very first
look at a meeting left a cookie behind, and cost a hit a third more. A view marked
`@same_origin_form` is let in by what the visitor's browser itself says about where the post
came from, which a page on another site can neither set nor fake (browsers forbid scripts to
set `Sec-Fetch-*`, `Origin` and `Referer`):

- `Sec-Fetch-Site` (Fetch Metadata, every current browser): `same-origin` is accepted; any
  other value (`cross-site`, `same-site`, `none`) is refused with Django's failure view.
- No `Sec-Fetch-Site` but an `Origin` (older browsers; plain http, where Fetch Metadata is not
  sent): accepted only if it names this site (Django's `_origin_verified`, which honours
  CSRF_TRUSTED_ORIGINS).
- Neither (very old browsers, scripts): Django's usual checks, token included. The page gave
  no token, so such a browser posting from our own page (its `Referer` says so, checked as
  Django checks it on https) gets a "one more step" page instead of a refusal: what it sent,
  in hidden fields, with a token; pressing the button passes the token check. A post with no
  Referer from our pages never gets that page (a page elsewhere must not be handed a filled-in
  form one click from being sent), and neither does a post from that page itself (a browser
  that keeps no cookies, or a forgery): both get Django's failure view.

Every other view, the admin included, is checked exactly as CsrfViewMiddleware checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN, CsrfViewMiddleware, RejectRequest
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

# Set on a view by @same_origin_form, read from the resolved view by the middleware.
SAME_ORIGIN_FORM = "same_origin_form"
# Set on a request while Django's own checks run for a marked view with neither header.
OFFER_ONE_MORE_STEP = "_csrf_offer_one_more_step"
# Sent back by the "one more step" page, so a second failure is a refusal, never a loop.
ONE_MORE_STEP_FIELD = "one_more_step"
TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 (the name of the form field)
REASON_NOT_SAME_ORIGIN = "Sec-Fetch-Site is %s, not same-origin."
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
MIDDLEWARE_PATH = "outreach.csrf.SameOriginCsrfViewMiddleware"


def same_origin_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose form carries no CSRF token: the browser's Fetch Metadata or Origin
    header vouches for the post instead (module docstring). Put it outermost."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    setattr(wrapper, SAME_ORIGIN_FORM, True)
    return wrapper


class SameOriginCsrfViewMiddleware(CsrfViewMiddleware):
    """CsrfViewMiddleware, which also lets in posts to @same_origin_form views that the
    browser says came from this site (module docstring)."""

    def process_view(
        self, request: HttpRequest, callback: Callable, callback_args: Any, callback_kwargs: Any
    ) -> HttpResponse | None:
        if (
            not getattr(callback, SAME_ORIGIN_FORM, False)
            or request.method in SAFE_METHODS
            or getattr(request, "csrf_processing_done", False)
            or getattr(request, "_dont_enforce_csrf_checks", False)  # Django's test client
        ):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        fetch_site = request.headers.get("Sec-Fetch-Site")
        if fetch_site is not None:
            # The browser itself says where the post came from; a page elsewhere cannot
            # change what it says, and scripts may not set any Sec- header. "same-site" is
            # refused too: another host under the same domain is not this site.
            if fetch_site == "same-origin":
                return self._accept(request)
            return self._reject(request, REASON_NOT_SAME_ORIGIN % fetch_site)
        if "HTTP_ORIGIN" in request.META:
            if self._origin_verified(request):
                return self._accept(request)
            return self._reject(request, REASON_BAD_ORIGIN % request.META["HTTP_ORIGIN"])
        # Neither header: the token remains what protects these (module docstring).
        setattr(request, OFFER_ONE_MORE_STEP, True)
        try:
            return super().process_view(request, callback, callback_args, callback_kwargs)
        finally:
            setattr(request, OFFER_ONE_MORE_STEP, False)

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        if (
            getattr(request, OFFER_ONE_MORE_STEP, False)
            and ONE_MORE_STEP_FIELD not in request.POST
            and self._referred_by_this_site(request)
        ):
            return one_more_step(request)
        return super()._reject(request, reason)

    def _referred_by_this_site(self, request: HttpRequest) -> bool:
        """Whether the Referer is one of our pages, as Django checks it on https (there it has
        already passed before the token is checked); on http, the same host and scheme."""
        if request.is_secure():
            try:
                self._check_referer(request)
            except RejectRequest:
                return False
            return True
        try:
            referer = urlsplit(request.headers.get("Referer", ""))
        except ValueError:  # malformed: not one of ours
            return False
        return referer.scheme == "http" and referer.netloc == request.get_host()


def one_more_step(request: HttpRequest) -> HttpResponse:
    """What the visitor sent, back to them with a token: one press sends it again."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in (TOKEN_FIELD, ONE_MORE_STEP_FIELD)
        for value in values
    ]
    context = {"fields": fields, "action": request.get_full_path(), "again": ONE_MORE_STEP_FIELD}
    response = render(request, "one_more_step.html", context)
    add_never_cache_headers(response)  # it holds what they typed: kept by no cache
    return response


def check_csrf_middleware(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's own deploy checks (security.W003, W016) look for CsrfViewMiddleware by its
    name and so miss this subclass: W003 is silenced in settings, and both are made here
    (registered as a deploy check in outreach/apps.py)."""
    if MIDDLEWARE_PATH not in settings.MIDDLEWARE:
        return [checks.Warning(f"{MIDDLEWARE_PATH} is not in MIDDLEWARE.", id="outreach.W003")]
    if not (settings.CSRF_USE_SESSIONS or settings.CSRF_COOKIE_SECURE is True):
        return [checks.Warning("CSRF_COOKIE_SECURE is not True.", id="outreach.W016")]
    return []
