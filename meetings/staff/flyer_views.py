"""The printable flyers (one meeting, the whole series) and QR code downloads."""

from __future__ import annotations

from django.contrib.admin import ModelAdmin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .. import flyers
from ..models import Meeting
from .common import require


def meeting_flyer(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    require(model_admin.has_view_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    context = {"sides": flyers.meeting_flyer(meeting), "series": False, "meeting": meeting}
    return TemplateResponse(request, "staff/flyer.html", context)


def series_flyer(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Every upcoming published meeting that is not cancelled, on one sheet."""
    require(model_admin.has_view_permission(request))
    meetings = [m for m in Meeting.objects.upcoming() if not m.is_cancelled]
    context = {"sides": flyers.series_flyer(meetings), "series": True, "meetings": meetings}
    return TemplateResponse(request, "staff/flyer.html", context)


def qr_download(
    request: HttpRequest, model_admin: ModelAdmin, pk: int, language: str, kind: str
) -> HttpResponse:
    """The QR code for the meeting's page in one language, as a PNG or SVG file."""
    require(model_admin.has_view_permission(request))
    meeting = get_object_or_404(Meeting, pk=pk)
    url = flyers.meeting_url(meeting, language)
    content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
    response = HttpResponse(flyers.qr_file(url, kind), content_type=content_type)
    filename = f"qr-{meeting.slug}-{language}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
