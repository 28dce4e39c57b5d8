"""Public pages: upcoming meetings, one meeting, privacy. Plain function views."""

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Meeting


def upcoming(request: HttpRequest) -> HttpResponse:
    """Published meetings not yet over, grouped by local day."""
    meetings = list(Meeting.objects.upcoming())
    days = [
        (day, list(group))
        for day, group in groupby(meetings, key=lambda m: timezone.localdate(m.starts_at))
    ]
    return render(request, "meetings/upcoming.html", {"days": days})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        meeting = Meeting.objects.public().select_related("venue").get(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None
    return render(request, "meetings/detail.html", {"meeting": meeting})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/privacy.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A translated 404 in the language of the address (or the browser's)."""
    return render(request, "404.html", status=404)
