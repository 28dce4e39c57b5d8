"""Cancel with notice, undo a cancellation, reschedule.

Every change goes through the normal model save inside a transaction: the reminders engine
notices a meeting whose status, time or venue changed and sends the notices itself.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from outreach import languages

from .. import audience, cautions, history, inputs, series
from ..enums import MeetingStatus
from ..models import REASON_MAX, Meeting, Venue
from .common import admin_context, change_page, changelist, log_change, require


class ReasonField(forms.CharField):
    """A short reason in one language. Too long is refused, saying by how much, with the text
    kept as typed: no maxlength attribute, which would cut it without a word."""

    def validate(self, value: str) -> None:
        super().validate(value)
        if len(value) > REASON_MAX:
            raise forms.ValidationError(
                ngettext(
                    "The reason has %(length)s character; the maximum is %(max)s.",
                    "The reason has %(length)s characters; the maximum is %(max)s.",
                    len(value),
                )
                % {"length": len(value), "max": REASON_MAX}
            )


def reason_fields(readers: dict[str, int] | None = None) -> dict[str, forms.Field]:
    """One optional short reason per language, its example in that language ("por el clima"
    / "due to weather") and, with `readers`, how many subscribers get the notice in it."""
    return {f"reason_{code}": _reason_field(code, readers) for code in languages.codes()}


def _reason_field(code: str, readers: dict[str, int] | None) -> forms.Field:
    with translation.override(code):
        # Translators: an example of a short reason for cancelling or moving a meeting.
        example = gettext("due to weather")
    # The example is in the field's language, marked as such (read aloud in it; kept whole
    # inside a sentence written the other way).
    help_text = format_html(
        gettext(
            "Optional, at most %(max)s characters, for example “%(example)s”. It goes into the "
            "text message, the email and the meeting's page."
        )
        % {"max": REASON_MAX, "example": "{}"},
        format_html('<bdi lang="{}">{}</bdi>', code, example),
    )
    if readers is not None:
        help_text = format_html("{} {}", help_text, audience.readers_text(readers.get(code, 0)))
    return ReasonField(
        label=format_lazy(
            "{} ({})", capfirst(_("reason")), languages.in_sentence(languages.name(code))
        ),
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"lang": code, "dir": languages.direction(code)}),
    )


class ReasonForm(forms.Form):
    def __init__(self, *args, readers: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(reason_fields(readers))


def set_reasons(meeting: Meeting, data: dict) -> None:
    """Store the reasons typed (an empty one clears the last notice's reason)."""
    for code in languages.codes():
        field = build_localized_fieldname("notice_reason", code)
        setattr(meeting, field, data.get(f"reason_{code}", "").strip())


def reasons_given(data: dict) -> list[str]:
    return [data[f"reason_{code}"] for code in languages.codes() if data.get(f"reason_{code}")]


def missing_reasons(data: dict, readers: dict[str, int]) -> list[str]:
    """When some reason was given: a warning per language whose readers get none."""
    if not reasons_given(data):
        return []
    return [
        audience.no_reason_text(code, readers[code])
        for code in languages.codes()
        if readers.get(code) and not data.get(f"reason_{code}")
    ]


def _selected(request: HttpRequest) -> list[Meeting]:
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
    return list(Meeting.objects.filter(pk__in=ids).select_related("venue"))


def cancel(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Confirm page with the subscriber counts; POST cancels and the engine sends notices."""
    require(model_admin.has_change_permission(request))
    meetings = [m for m in _selected(request) if not m.is_cancelled]
    readers = audience.readers(m.pk for m in meetings)
    form = ReasonForm(request.POST if request.method == "POST" else None, readers=readers)
    if request.method == "POST" and meetings and form.is_valid():
        with transaction.atomic():
            for meeting in meetings:
                before = history.snapshot(meeting)
                meeting.status, meeting.cancelled_at = MeetingStatus.CANCELLED, timezone.now()
                set_reasons(meeting, form.cleaned_data)
                meeting.save()
                log_change(request, meeting, before, "cancel")
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
        for warning in missing_reasons(form.cleaned_data, readers):
            messages.warning(request, warning)
        return HttpResponseRedirect(changelist(model_admin))
    return _confirm_page(request, model_admin, meetings, "cancel", reason_form=form)


def _confirm_page(
    request: HttpRequest, model_admin: ModelAdmin, meetings: list[Meeting], kind: str, **extra
) -> HttpResponse:
    """Per meeting and channel: how many subscribers, and what will really happen to their
    notice (sent now, held until a time, sent at once outside the usual hours, not possible).
    The totals count only the notices that will go."""
    starts_at = extra.get("new_starts_at")
    rows = [
        (
            m,
            {plan.channel: plan for plan in audience.outlook(m, kind, starts_at)},
            audience.messages_each(m, kind, starts_at),
        )
        for m in meetings
    ]

    def told(channel: str) -> int:
        return sum(
            plan.subscribers
            for _m, plans, _each in rows
            for plan in plans.values()
            if plan.channel == channel and plan.will_send
        )

    titles = {
        "cancel": gettext("Cancel with notice"),
        "undo": gettext("Undo the cancellation"),
        "reschedule": gettext("Reschedule"),
    }
    context = admin_context(
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
    require(model_admin.has_change_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    if not can_undo(meeting):
        messages.error(
            request,
            gettext(
                "Only a cancellation made today can be undone. Duplicate the meeting to a new "
                "date instead."
            ),
        )
        return HttpResponseRedirect(change_page(model_admin, meeting))
    if request.method == "POST":
        with transaction.atomic():
            before = history.snapshot(meeting)
            meeting.status, meeting.cancelled_at = MeetingStatus.SCHEDULED, None
            set_reasons(meeting, {})
            meeting.save()
            log_change(request, meeting, before, "undo")
        messages.success(request, gettext("The meeting is back on. Subscribers are being told."))
        return HttpResponseRedirect(change_page(model_admin, meeting))
    return _confirm_page(request, model_admin, [meeting], "undo")


class RescheduleForm(forms.Form):
    day = inputs.DateField(label=capfirst(_("date")))
    venue = forms.ModelChoiceField(label=capfirst(_("venue")), queryset=Venue.objects.all())
    start_time = inputs.TimeField(label=capfirst(_("starts (local time)")))
    end_time = inputs.TimeField(label=capfirst(_("ends (local time)")))

    def __init__(self, *args, readers: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(reason_fields(readers))

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
    require(model_admin.has_change_permission(request))
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    initial = {
        "day": start.date(),
        "venue": meeting.venue,
        "start_time": start.time(),
        "end_time": end.time(),
    }
    readers = audience.readers([meeting.pk])
    form = RescheduleForm(request.POST or None, initial=initial, readers=readers)
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
            cautions=cautions.cautions(data["starts_at"], data["ends_at"]),
            reasons=reasons_given(data),
            reason_warnings=missing_reasons(data, readers),
            reminder_times=audience.reminder_times(meeting, data["starts_at"]),
        )
    context = admin_context(model_admin, request, gettext("Reschedule"), form=form, meeting=meeting)
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
            before = history.snapshot(meeting)
            meeting.starts_at, meeting.ends_at = data["starts_at"], data["ends_at"]
            meeting.venue = data["venue"]
            set_reasons(meeting, data)
            meeting.full_clean(exclude=["slug"])
            meeting.save()
            log_change(request, meeting, before, "reschedule")
        messages.success(request, gettext("The meeting was moved. Subscribers are being told."))
    else:
        messages.info(request, gettext("Nothing changed."))
    return HttpResponseRedirect(change_page(model_admin, meeting))
