"""Schedule a series of meetings, and duplicate one meeting to another date or venue."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import inputs, series
from ..models import Meeting, Venue
from .common import admin_context, change_page, changelist, log_added, require


def schedule_series(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Form → preview of every meeting (with problems) → confirm creates all or nothing."""
    require(model_admin.has_add_permission(request))
    form = series.SeriesForm(request.POST or None)
    rows: list[series.Row] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = series.plan(
            form.days(),
            list(data["venues"]),
            data["venue_order"],
            data["start_time"],
            data["end_time"],
        )
        if "_confirm" in request.POST and not any(row.problems for row in rows):
            created = series.create(rows, form.meeting_values())
            log_added(request, created, "series")
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)d meeting was scheduled.", "%(count)d meetings were scheduled.", count
                )
                % {"count": count},
            )
            return HttpResponseRedirect(changelist(model_admin))
    context = admin_context(
        model_admin,
        request,
        gettext("Schedule a series"),
        form=form,
        rows=rows,
        problems=sum(bool(row.problems) for row in rows),
        warnings=sum(bool(row.warnings) for row in rows),
    )
    return TemplateResponse(request, "admin/meetings/meeting/series.html", context)


# --- Duplicate ---------------------------------------------------------------------------


class DuplicateForm(forms.Form):
    day = inputs.DateField(label=capfirst(_("new date")))
    venue = forms.ModelChoiceField(label=capfirst(_("venue")), queryset=Venue.objects.all())
    start_time = inputs.TimeField(label=capfirst(_("starts (local time)")))
    end_time = inputs.TimeField(label=capfirst(_("ends (local time)")))


def duplicate(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    """Copy a meeting to another date or venue, as an unpublished draft to check."""
    require(model_admin.has_add_permission(request))
    original = get_object_or_404(Meeting, pk=pk)
    local_start, local_end = (
        timezone.localtime(original.starts_at),
        timezone.localtime(original.ends_at),
    )
    initial = {
        "venue": original.venue,
        "start_time": local_start.time(),
        "end_time": local_end.time(),
    }
    form = DuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = series.plan(
            [data["day"]],
            [data["venue"]],
            series.VenueOrder.EVERY,
            data["start_time"],
            data["end_time"],
        )
        if data["end_time"] <= data["start_time"]:
            form.add_error("end_time", _("A meeting must end after it starts."))
        elif rows[0].problems:
            form.add_error(None, rows[0].problems)
        else:
            values = copy_values(original)
            copy = series.create(rows, values)[0]
            log_added(request, [copy], "duplicate", original=original.pk)
            messages.success(request, gettext("The copy was made. It is not published yet."))
            return HttpResponseRedirect(change_page(model_admin, copy))
    context = admin_context(
        model_admin, request, gettext("Duplicate a meeting"), form=form, original=original
    )
    return TemplateResponse(request, "admin/meetings/meeting/duplicate.html", context)


def copy_values(meeting: Meeting) -> dict:
    """The fields a copy shares with its original (text and facts), as a draft."""
    names = series.TEXT_FIELDS + series.FACT_FIELDS + ["spoken_languages", "reminder_offsets"]
    return {name: getattr(meeting, name) for name in names} | {"published": False}
