"""Public pages: upcoming meetings, one meeting, its calendar file, privacy, questions.
Plain function views.

Each page runs a fixed number of queries however many meetings exist (the upcoming page: one,
for what its cards show; two when a single day holds more than a page).
"""

from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from outreach.fragments import render_kept
from outreach.pagecache import cache_public_page

from . import attendance, calendar, public
from .cards import CARD_VALUES, STARTS, Card, cards
from .compiled import CompiledQuery
from .models import Meeting, MeetingQuerySet, PolicyStatement, Venue

# Meetings on one page of the upcoming list: about 16 KB of HTML, light enough for a cheap phone
# on a slow connection; later ones are a link away ("More meetings").
PAGE_SIZE = 30
_MEETING_FIELDS = tuple(field.attname for field in Meeting._meta.concrete_fields)
_VENUE_FIELDS = tuple(field.attname for field in Venue._meta.concrete_fields)
_PUBLIC_MEETING = CompiledQuery(
    Meeting,
    lambda slug: (
        MeetingQuerySet(model=Meeting)
        .public()
        .filter(slug=slug)
        .values_list(*_MEETING_FIELDS, *(f"venue__{name}" for name in _VENUE_FIELDS))
    ),
    slug="slug",
)
# The upcoming rows' SQL, built once per process (compiled.py); the day-long page's is not.
_UPCOMING_ROWS = CompiledQuery(
    Meeting,
    lambda now: (
        MeetingQuerySet(model=Meeting).upcoming(now=now).values_list(*CARD_VALUES)[: PAGE_SIZE + 1]
    ),
    now="ends_at",
)
_UPCOMING_ROWS_FROM = CompiledQuery(
    Meeting,
    lambda now, start: (
        MeetingQuerySet(model=Meeting)
        .upcoming(now=now)
        .filter(starts_at__gte=start)
        .values_list(*CARD_VALUES)[: PAGE_SIZE + 1]
    ),
    now="ends_at",
    start="starts_at",
)


def _public_meeting(slug: str) -> Meeting:
    """A published meeting by its slug, with its venue; 404 for anything else.

    One query whose SQL is kept (compiled.py): every stored field of the meeting and its
    venue, made into instances as the ORM makes them (Model.from_db).
    """
    rows = _PUBLIC_MEETING.rows(slug=slug)
    if not rows:
        raise Http404
    alias, row, split = _PUBLIC_MEETING.alias(), rows[0], len(_MEETING_FIELDS)
    meeting = Meeting.from_db(alias, _MEETING_FIELDS, row[:split])
    meeting.venue = Venue.from_db(alias, _VENUE_FIELDS, row[split:])
    return meeting


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@cache_public_page
def upcoming(request: HttpRequest, since: str | None = None) -> HttpResponse:
    """Published meetings not yet over, grouped by local day, PAGE_SIZE at a time (whole days),
    from the day `since` (YYYY-MM-DD) when given; a link leads to the next page.

    The page is kept by what its cards show (render_kept): the rows are read as plain values,
    and the cards are made from them (cards.py), with no second query.
    """
    rows, later = upcoming_page(_first_day(since))
    later_url = reverse("meetings:upcoming_from", kwargs={"since": later}) if later else None
    return render_kept(
        request,
        "meetings/upcoming.html",
        lambda: {"days": _by_day(cards(rows)), "later_url": later_url},
        shows=(later_url, *rows),
    )


def _by_day(meetings: list[Card]) -> list[tuple[date, tuple[Card, ...]]]:
    """The cards by local day (a day's cards as a tuple: `{% upcoming_days %}` keys a day by
    them)."""
    zone = timezone.get_current_timezone()  # once: localdate() looks it up on every call
    return [
        (day, tuple(group))
        for day, group in groupby(meetings, key=lambda m: m.starts_at.astimezone(zone).date())
    ]


def _first_day(since: str | None) -> date | None:
    if since is None:
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise Http404 from None


def upcoming_page(since: date | None) -> tuple[list[tuple], str | None]:
    """The rows (CARD_VALUES) of up to PAGE_SIZE upcoming meetings from the day `since`, never
    splitting a day (a day with more is shown whole), and the first day of the next page, if
    any. One query (two when a single day holds more than a page).

    Plain values from our own queryset class, without modeltranslation's per-row rewriting:
    the translated fields are named one by one in CARD_VALUES.
    """
    now = timezone.now()
    if since is None:
        rows = _UPCOMING_ROWS.rows(now=now)
    else:
        rows = _UPCOMING_ROWS_FROM.rows(now=now, start=_day_start(since))
    if len(rows) <= PAGE_SIZE:
        return rows, None
    next_day = timezone.localdate(rows[PAGE_SIZE][STARTS])
    if next_day == timezone.localdate(rows[0][STARTS]):  # one day holds them all: show it whole
        next_day += timedelta(days=1)
        meetings = MeetingQuerySet(model=Meeting).upcoming(now=now)
        if since is not None:
            meetings = meetings.filter(starts_at__gte=_day_start(since))
        rows = list(meetings.filter(starts_at__lt=_day_start(next_day)).values_list(*CARD_VALUES))
        return rows, next_day.isoformat()
    zone = timezone.get_current_timezone()
    page = [row for row in rows[:PAGE_SIZE] if row[STARTS].astimezone(zone).date() < next_day]
    return page, next_day.isoformat()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@require_safe
@cache_public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything about one meeting, the "what to expect" facts first."""
    meeting = _public_meeting(slug)
    # What changes with the time alone: whether the page offers reminders and "I plan to go".
    now_open = (meeting.starts_at > timezone.now(), attendance.open_for_plans(meeting))
    return render_kept(
        request,
        "meetings/detail.html",
        lambda: public.page_context(meeting),
        shows=(meeting, meeting.venue, now_open),
    )


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
