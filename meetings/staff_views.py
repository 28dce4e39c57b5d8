"""Staff tools mounted in the admin (see MeetingAdmin.get_urls): series, duplicate, cancel,
undo, reschedule, flyers, QR downloads and the dashboard.

Every change goes through the normal model save inside a transaction: the reminders engine
notices a meeting whose status, time or venue changed and sends the notices itself.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import audience, completeness, flyers, series
from .enums import MeetingStatus
from .models import Meeting, Venue


def _context(model_admin: ModelAdmin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Meeting._meta,
        "title": title,
        **extra,
    }


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _changelist(model_admin: ModelAdmin) -> str:
    return reverse(f"{model_admin.admin_site.name}:meetings_meeting_changelist")


def _change_page(model_admin: ModelAdmin, meeting: Meeting) -> str:
    return reverse(f"{model_admin.admin_site.name}:meetings_meeting_change", args=[meeting.pk])


def log_fields(request: HttpRequest, meeting: Meeting, fields: list[str]) -> None:
    """A history entry naming the changed fields (in English: the history page translates)."""
    with translation.override(None):
        names = [str(Meeting._meta.get_field(name).verbose_name) for name in fields]
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[meeting],
        action_flag=2,  # CHANGE
        change_message=[{"changed": {"fields": names}}],
        single_object=True,
    )


def log_added(request: HttpRequest, meetings: list[Meeting]) -> None:
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=meetings,
        action_flag=ADDITION,
        change_message=[{"added": {}}],
    )


# --- Schedule a series -------------------------------------------------------------------


def schedule_series(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Form → preview of every meeting (with problems) → confirm creates all or nothing."""
    _require(model_admin.has_add_permission(request))
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
            log_added(request, created)
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)d meeting was scheduled.", "%(count)d meetings were scheduled.", count
                )
                % {"count": count},
            )
            return HttpResponseRedirect(_changelist(model_admin))
    context = _context(
        model_admin,
        request,
        gettext("Schedule a series"),
        form=form,
        rows=rows,
        problems=sum(bool(row.problems) for row in rows),
    )
    return TemplateResponse(request, "admin/meetings/meeting/series.html", context)


# --- Duplicate ---------------------------------------------------------------------------


class DuplicateForm(forms.Form):
    day = forms.DateField(label=_("new date"), help_text=_("For example 2027-02-10"))
    venue = forms.ModelChoiceField(label=_("venue"), queryset=Venue.objects.all())
    start_time = forms.TimeField(label=_("starts (local time)"))
    end_time = forms.TimeField(label=_("ends (local time)"))


def duplicate(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    """Copy a meeting to another date or venue, as an unpublished draft to check."""
    _require(model_admin.has_add_permission(request))
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
            log_added(request, [copy])
            messages.success(request, gettext("The copy was made. It is not published yet."))
            return HttpResponseRedirect(_change_page(model_admin, copy))
    context = _context(
        model_admin, request, gettext("Duplicate a meeting"), form=form, original=original
    )
    return TemplateResponse(request, "admin/meetings/meeting/duplicate.html", context)


def copy_values(meeting: Meeting) -> dict:
    """The fields a copy shares with its original (text and facts), as a draft."""
    names = series.TEXT_FIELDS + series.FACT_FIELDS + ["spoken_languages"]
    return {name: getattr(meeting, name) for name in names} | {"published": False}


# --- Cancel, undo, reschedule --------------------------------------------------------------


def _selected(request: HttpRequest) -> list[Meeting]:
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
    return list(Meeting.objects.filter(pk__in=ids).select_related("venue"))


def cancel(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Confirm page with the subscriber counts; POST cancels and the engine sends notices."""
    _require(model_admin.has_change_permission(request))
    meetings = [m for m in _selected(request) if not m.is_cancelled]
    if request.method == "POST" and meetings:
        with transaction.atomic():
            for meeting in meetings:
                meeting.status, meeting.cancelled_at = MeetingStatus.CANCELLED, timezone.now()
                meeting.save()
                log_fields(request, meeting, ["status"])
        count = len(meetings)
        messages.success(
            request,
            ngettext(
                "%(count)d meeting was cancelled. Subscribers are being told.",
                "%(count)d meetings were cancelled. Subscribers are being told.",
                count,
            )
            % {"count": count},
        )
        return HttpResponseRedirect(_changelist(model_admin))
    return _confirm_page(request, model_admin, meetings, "cancel")


def _confirm_page(
    request: HttpRequest, model_admin: ModelAdmin, meetings: list[Meeting], kind: str, **extra
) -> HttpResponse:
    """Per meeting and channel: how many subscribers, and what will really happen to their
    notice (sent now, held until a time, sent at once outside the usual hours, not possible).
    The totals count only the notices that will go."""
    starts_at = extra.get("new_starts_at")
    rows = [
        (m, {plan.channel: plan for plan in audience.outlook(m, kind, starts_at)}) for m in meetings
    ]

    def told(channel: str) -> int:
        return sum(
            plan.subscribers
            for _m, plans in rows
            for plan in plans.values()
            if plan.channel == channel and plan.will_send
        )

    titles = {
        "cancel": gettext("Cancel with notice"),
        "undo": gettext("Undo the cancellation"),
        "reschedule": gettext("Reschedule"),
    }
    context = _context(
        model_admin,
        request,
        titles[kind],
        kind=kind,
        rows=rows,
        sms=told("sms"),
        email=told("email"),
        **extra,
    )
    return TemplateResponse(request, "admin/meetings/meeting/notify_confirm.html", context)


def can_undo(meeting: Meeting, now: datetime | None = None) -> bool:
    """A cancellation can be undone the same local day, before the meeting starts."""
    now = now or timezone.now()
    return (
        meeting.is_cancelled
        and meeting.cancelled_at is not None
        and timezone.localdate(meeting.cancelled_at) == timezone.localdate(now)
        and meeting.starts_at > now
    )


def undo_cancel(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    """Put a meeting cancelled today back on; the engine sends a "back on" notice."""
    _require(model_admin.has_change_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    if not can_undo(meeting):
        messages.error(
            request,
            gettext(
                "Only a cancellation made today can be undone. Duplicate the meeting to a new "
                "date instead."
            ),
        )
        return HttpResponseRedirect(_change_page(model_admin, meeting))
    if request.method == "POST":
        with transaction.atomic():
            meeting.status, meeting.cancelled_at = MeetingStatus.SCHEDULED, None
            meeting.save()
            log_fields(request, meeting, ["status"])
        messages.success(request, gettext("The meeting is back on. Subscribers are being told."))
        return HttpResponseRedirect(_change_page(model_admin, meeting))
    return _confirm_page(request, model_admin, [meeting], "undo")


class RescheduleForm(forms.Form):
    day = forms.DateField(label=_("date"), help_text=_("For example 2027-02-10"))
    venue = forms.ModelChoiceField(label=_("venue"), queryset=Venue.objects.all())
    start_time = forms.TimeField(label=_("starts (local time)"))
    end_time = forms.TimeField(label=_("ends (local time)"))

    def clean(self) -> dict:
        data = super().clean()
        if {"day", "start_time", "end_time"} <= data.keys():
            start = series.local_datetime(data["day"], data["start_time"])
            end = series.local_datetime(data["day"], data["end_time"])
            if start is None or end is None:
                raise forms.ValidationError(_("That time does not exist that day (clocks change)."))
            if end <= start:
                self.add_error("end_time", _("A meeting must end after it starts."))
            data["starts_at"], data["ends_at"] = start, end
        return data


def reschedule(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    """New date, time or venue → a summary with the counts → confirm saves it."""
    _require(model_admin.has_change_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    initial = {
        "day": start.date(),
        "venue": meeting.venue,
        "start_time": start.time(),
        "end_time": end.time(),
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "_confirm" in request.POST:
            return _save_reschedule(request, model_admin, meeting, data)
        return _confirm_page(
            request,
            model_admin,
            [meeting],
            "reschedule",
            form=form,
            new_starts_at=data["starts_at"],
            new_ends_at=data["ends_at"],
            new_venue=data["venue"],
        )
    context = _context(model_admin, request, gettext("Reschedule"), form=form, meeting=meeting)
    return TemplateResponse(request, "admin/meetings/meeting/reschedule.html", context)


def _save_reschedule(
    request: HttpRequest, model_admin: ModelAdmin, meeting: Meeting, data: dict
) -> HttpResponse:
    changed = [
        name
        for name, value in [
            ("starts_at", data["starts_at"]),
            ("ends_at", data["ends_at"]),
            ("venue", data["venue"]),
        ]
        if getattr(meeting, name) != value
    ]
    if changed:
        with transaction.atomic():
            meeting.starts_at, meeting.ends_at = data["starts_at"], data["ends_at"]
            meeting.venue = data["venue"]
            meeting.full_clean(exclude=["slug"])
            meeting.save()
            log_fields(request, meeting, changed)
        messages.success(request, gettext("The meeting was moved. Subscribers are being told."))
    else:
        messages.info(request, gettext("Nothing changed."))
    return HttpResponseRedirect(_change_page(model_admin, meeting))


# --- Flyers and QR codes -----------------------------------------------------------------


def meeting_flyer(request: HttpRequest, model_admin: ModelAdmin, pk: int) -> HttpResponse:
    _require(model_admin.has_view_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    context = {"sides": flyers.meeting_flyer(meeting), "series": False, "meeting": meeting}
    return TemplateResponse(request, "staff/flyer.html", context)


def series_flyer(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Every upcoming published meeting that is not cancelled, on one sheet."""
    _require(model_admin.has_view_permission(request))
    meetings = [m for m in Meeting.objects.upcoming() if not m.is_cancelled]
    context = {"sides": flyers.series_flyer(meetings), "series": True, "meetings": meetings}
    return TemplateResponse(request, "staff/flyer.html", context)


def qr_download(
    request: HttpRequest, model_admin: ModelAdmin, pk: int, language: str, kind: str
) -> HttpResponse:
    """The QR code for the meeting's page in one language, as a PNG or SVG file."""
    _require(model_admin.has_view_permission(request))
    meeting = get_object_or_404(Meeting, pk=pk)
    url = flyers.meeting_url(meeting, language)
    content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
    response = HttpResponse(flyers.qr_file(url, kind), content_type=content_type)
    filename = f"qr-{meeting.slug}-{language}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Dashboard -----------------------------------------------------------------------------

DASHBOARD_SIZE = 10


def dashboard(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """The next meetings with counts (subscribers, deliveries, headcount) and missing text."""
    _require(model_admin.has_view_permission(request))
    upcoming = list(
        Meeting.objects.filter(ends_at__gt=timezone.now())
        .select_related("venue")
        .order_by("starts_at", "pk")[:DASHBOARD_SIZE]
    )
    counts = audience.audiences(m.pk for m in upcoming)
    context = _context(
        model_admin,
        request,
        gettext("Outreach dashboard"),
        rows=[(m, counts[m.pk]) for m in upcoming],
        channels=audience.CHANNELS,
        languages=audience.LANGUAGES,
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
