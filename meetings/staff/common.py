"""What every staff tool shares: the admin page context, permission checks, the links back
to the admin and history entries."""

from __future__ import annotations

from django.contrib.admin import ModelAdmin
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from ..models import Meeting


def admin_context(model_admin: ModelAdmin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Meeting._meta,
        "title": title,
        **extra,
    }


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def changelist(model_admin: ModelAdmin) -> str:
    return reverse(f"{model_admin.admin_site.name}:meetings_meeting_changelist")


def change_page(model_admin: ModelAdmin, meeting: Meeting) -> str:
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
