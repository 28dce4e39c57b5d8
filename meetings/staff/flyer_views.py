"""The flyers (one meeting, every upcoming meeting) as a printable page and as a PDF, in the
pair of languages staff choose, and the QR code files for posters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import flyer_pdf, flyers
from ..models import Meeting
from .common import require


class LanguagePairForm(forms.Form):
    """Which language goes on each half (any of the site's languages; the site's first two
    unless staff choose)."""

    top = forms.ChoiceField(label=_("Top half"), required=False)
    bottom = forms.ChoiceField(label=_("Bottom half"), required=False)

    def __init__(self, data, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        for field in self.fields.values():
            field.choices = settings.LANGUAGES

    def pair(self) -> list[str]:
        data = self.cleaned_data if self.is_valid() else {}
        return flyers.language_pair(data.get("top"), data.get("bottom"))


def _pair(request: HttpRequest) -> tuple[LanguagePairForm, list[str]]:
    form = LanguagePairForm(request.GET or None)
    pair = form.pair()
    if not form.is_bound:
        form = LanguagePairForm({"top": pair[0], "bottom": pair[1]})
        form.is_valid()
    return form, pair


def _page(request: HttpRequest, context: dict) -> TemplateResponse:
    form, pair = context["form"], context["pair"]
    names = [(code, flyers.language_name(code)) for code in pair]
    query = request.GET.urlencode()
    extra = {"languages": names, "query": f"?{query}" if query else "", "form": form}
    return TemplateResponse(request, "staff/flyer.html", {**context, **extra})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upcoming() -> list[Meeting]:
    """Every upcoming published meeting that is not cancelled, soonest first."""
    return [m for m in Meeting.objects.upcoming() if not m.is_cancelled]


def meeting_flyer(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    require(model_admin.has_view_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    form, pair = _pair(request)
    sides = flyers.meeting_flyer(meeting, pair)
    context = {"sides": sides, "series": False, "meeting": meeting, "form": form, "pair": pair}
    return _page(request, context)


def meeting_flyer_pdf(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    require(model_admin.has_view_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    _form, pair = _pair(request)
    filename = f"flyer-{meeting.slug}-{'-'.join(pair)}.pdf"
    return _pdf(flyer_pdf.meeting_pdf(meeting, pair), filename)


def series_flyer(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    require(model_admin.has_view_permission(request))
    form, pair = _pair(request)
    meetings = _upcoming()
    sides = flyers.series_flyer(meetings, pair)
    context = {"sides": sides, "series": True, "meetings": meetings, "form": form, "pair": pair}
    return _page(request, context)


def series_flyer_pdf(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    require(model_admin.has_view_permission(request))
    _form, pair = _pair(request)
    return _pdf(flyer_pdf.series_pdf(_upcoming(), pair), f"flyer-{'-'.join(pair)}.pdf")


def qr_download(
    request: HttpRequest, model_admin: ModelAdmin, pk: int, language: str, kind: str
) -> HttpResponse:
    """The QR code for the meeting's page in one language, as a PNG or SVG file."""
    require(model_admin.has_view_permission(request))
    if language not in flyers.languages():
        raise Http404
    meeting = get_object_or_404(Meeting, pk=pk)
    url = flyers.meeting_url(meeting, language)
    content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
    response = HttpResponse(flyers.qr_file(url, kind), content_type=content_type)
    filename = f"qr-{meeting.slug}-{language}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
