"""Answers to requests the site cannot take: an expired form (CSRF) and an unreadable body.

Both are pages in the site's own layout and language, and neither reads the request body
again (the body may be exactly what could not be read).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from outreach.csrf import ONE_MORE_STEP_FIELD

# The only request charsets we read: everything else is refused before any code parses it.
READABLE_CHARSETS = {"utf-8", "ascii"}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _back_to(request: HttpRequest) -> str:
    """Where "go back" leads: the page the form was on, if it is one of ours, else the list."""
    referrer = request.headers.get("Referer", "")
    if referrer and url_has_allowed_host_and_scheme(
        referrer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referrer)
        return parts.path + "#remind" if parts.path.count("/") > 2 else parts.path
    try:
        return reverse("meetings:upcoming")
    except NoReverseMatch:  # a URLconf without the public site (tests of one middleware)
        return "/"


# Where a refused form with no token (outreach/csrf.py) leads back to, by the view's name.
FORM_ON_MEETING_PAGE = {"reminders:subscribe": "#remind", "meetings:plan_to_go": "#attendance"}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: the form was open too long (or cookies are off); for a form
    with no token, the browser did not show it came from this site (outreach/csrf.py): said
    so, and back to the meeting's form."""
    match = getattr(request, "resolver_match", None)
    anchor = FORM_ON_MEETING_PAGE.get(match.view_name) if match else None
    try:
        if anchor and "slug" in match.kwargs:
            back = reverse("meetings:detail", kwargs={"slug": match.kwargs["slug"]}) + anchor
            # Sent from the "one more step" page, the token failed: expired, or no cookies.
            context = {"back": back, "not_from_this_site": ONE_MORE_STEP_FIELD not in request.POST}
        else:
            context = {"back": _back_to(request)}
        return render(request, "403_csrf.html", context, status=403)
    except NoReverseMatch:  # a URLconf without the public site (tests of one middleware)
        return HttpResponseForbidden(gettext("The form expired"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a request we cannot read, in the site's layout."""
    return render(request, "400.html", status=400)


def _charset_is_readable(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    for param in content_type.split(";")[1:]:
        name, _sep, value = param.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name in READABLE_CHARSETS
            except LookupError:
                return False
    return True


class RequestCharsetMiddleware:
    """Refuse (400, in the page's language) a body in any charset but UTF-8, before the CSRF
    check or a form reads it: Django would otherwise decode UTF-16 form data into nonsense or
    fail inside its CSRF check and answer with a bare 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and not _charset_is_readable(request):
            language = translation.get_language_from_path(request.path_info)
            with translation.override(language or translation.get_language()):
                return bad_request(request)
        return self.get_response(request)
