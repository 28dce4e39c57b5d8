"""What every staff tool shares: the admin page context, permission checks, the links back
to the admin and history entries (with values: meetings/history.py)."""

from __future__ import annotations

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from .. import history
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


def log_added(request: HttpRequest, meetings: list[Meeting], via: str, **extra) -> None:
    """History entries for meetings a tool created, with their values (meetings.history)."""
    history.log_added(request.user.pk, meetings, via, **extra)


def log_change(request: HttpRequest, meeting: Meeting, before: dict, via: str) -> None:
    """A history entry with each changed value before and after (meetings.history)."""
    history.log_change(request.user.pk, meeting, before, via)
