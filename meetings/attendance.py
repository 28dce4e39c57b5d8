"""Expected attendance without names: the "I plan to go" button.

A count, never who: no contact is asked, no IP address is stored (django-ratelimit keeps only
a hashed key in the shared cache for an hour), and a signed cookie remembers which meetings
this browser already counted so a second tap does not count twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from outreach.csrf import same_origin_form

from .models import Meeting

COOKIE = "planned"
SALT = "meetings.attendance"
MAX_REMEMBERED = 50  # keeps the cookie small
ONE_YEAR = 365 * 24 * 3600


def planned_ids(request: HttpRequest) -> list[int]:
    """The meetings this browser said it plans to go to (a tampered cookie counts as none)."""
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT)
    return [int(pk) for pk in value.split(",") if pk.isdigit()]


def _address(group: str, request: HttpRequest) -> str:
    """The visitor's address as our proxies vouch for it; django-ratelimit hashes it."""
    from outreach.security import client_ip

    return client_ip(request)


def open_for_plans(meeting: Meeting) -> bool:
    return meeting.published and not meeting.is_cancelled and meeting.ends_at > timezone.now()


@same_origin_form  # the button carries no CSRF token: the cached page sets no cookie
@require_POST
def plan_to_go(request: HttpRequest, slug: str) -> HttpResponse:
    """Count this browser once for the meeting, then back to the meeting page (no JavaScript)."""
    meeting = Meeting.objects.filter(slug=slug, published=True).first()
    if meeting is None:
        raise Http404
    planned = planned_ids(request)
    if meeting.pk not in planned and open_for_plans(meeting):
        # A script that drops the cookie is held back by the rate per address.
        limited = is_ratelimited(
            request,
            group="attendance",
            key=_address,
            rate=settings.ATTENDANCE_RATE,
            method="POST",
            increment=True,
        )
        if not limited:
            Meeting.objects.filter(pk=meeting.pk).update(
                planned_attendance=F("planned_attendance") + 1
            )
        planned = [*planned, meeting.pk][-MAX_REMEMBERED:]
    response = HttpResponseRedirect(meeting.get_absolute_url() + "#attendance")
    response.status_code = 303  # "see other": the browser follows with a GET
    response.set_signed_cookie(
        COOKIE,
        ",".join(map(str, planned)),
        salt=SALT,
        max_age=ONE_YEAR,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response
