"""The outreach dashboard: every upcoming meeting, a page at a time, with its counts
(subscribers and where the messages stand; only counts that are not zero, so it fits a laptop
screen) in a fixed number of queries per page, and the text still missing."""

from __future__ import annotations

from django.contrib.admin import ModelAdmin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from .. import audience, completeness
from ..models import Meeting, Venue
from .common import admin_context, require

DASHBOARD_SIZE = 25


def dashboard(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Every upcoming meeting, page by page, with counts (subscribers, deliveries, headcount),
    and the missing text."""
    require(model_admin.has_view_permission(request))
    upcoming = (
        Meeting.objects.filter(ends_at__gt=timezone.now())
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    page = Paginator(upcoming, DASHBOARD_SIZE).get_page(request.GET.get("page"))
    counts = audience.audiences(m.pk for m in page)  # a fixed number of grouped queries
    context = admin_context(
        model_admin,
        request,
        gettext("Outreach dashboard"),
        page=page,
        rows=[(m, counts[m.pk]) for m in page],
        columns=6,
        reminders_installed=audience.reminders_installed(),
        missing=missing_text(),
    )
    return TemplateResponse(request, "admin/meetings/dashboard.html", context)


def missing_text() -> list[tuple[object, str, str]]:
    """(object, what is missing, admin change URL) for upcoming meetings and every venue."""
    found = []
    meetings = Meeting.objects.filter(ends_at__gt=timezone.now()).select_related("venue")
    for obj in list(meetings) + list(Venue.objects.all()):
        text = completeness.describe_missing(obj)
        if text:
            name = obj._meta.model_name
            url = reverse(f"admin:meetings_{name}_change", args=[obj.pk])
            found.append((obj, text, url))
    return found
