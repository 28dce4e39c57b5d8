"""Public pages: upcoming meetings, one meeting, its calendar file, privacy, questions.
Plain function views.

Each page runs a fixed number of queries however many meetings exist (one, for the meetings
and their venues together).
"""

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from outreach.pagecache import cache_public_page

from . import calendar, public
from .models import Meeting, PolicyStatement


def _public_meeting(slug: str) -> Meeting:
    """A published meeting by its slug, with its venue; 404 for anything else."""
    try:
        return Meeting.objects.public().select_related("venue").get(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@cache_public_page
def upcoming(request: HttpRequest) -> HttpResponse:
    """Published meetings not yet over, grouped by local day."""
    meetings = list(Meeting.objects.upcoming())
    days = [
        (day, list(group))
        for day, group in groupby(meetings, key=lambda m: timezone.localdate(m.starts_at))
    ]
    return render(request, "meetings/upcoming.html", {"days": days})


@require_safe
@cache_public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything about one meeting, the "what to expect" facts first."""
    return render(request, "meetings/detail.html", public.page_context(_public_meeting(slug)))


@require_safe
@cache_public_page
def meeting_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The meeting as an .ics file, for "add to calendar"."""
    meeting = _public_meeting(slug)
    return _ics_response(calendar.meeting_calendar(meeting), f"{meeting.slug}.ics")


@require_safe
@cache_public_page
def feed_ics(request: HttpRequest) -> HttpResponse:
    """All upcoming meetings (cancelled ones too, so calendars update) in the page's language."""
    content = calendar.feed_calendar(Meeting.objects.upcoming())
    # Translators: file name of the calendar feed; lowercase ASCII letters and hyphens only.
    name = gettext("community-meetings")
    return _ics_response(content, f"{name}.ics")


@require_safe
@cache_public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/privacy.html")


@require_safe
@cache_public_page
def faq(request: HttpRequest) -> HttpResponse:
    """What a frightened resident asks first: the department's own answers (staff-edited),
    then what the software itself guarantees."""
    statements = PolicyStatement.objects.all()
    return render(request, "meetings/faq.html", {"statements": statements})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for by themselves: a redirect to the site's SVG icon."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    # Not permanent: the static file's name changes with its content in production.
    patch_cache_control(response, public=True, max_age=86400)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A translated 404 in the language of the address (or the browser's)."""
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """A translated 500 that needs no database and no context processors."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)
