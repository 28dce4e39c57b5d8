"""Every public page a resident can reach, in one language, over the demo series."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus
from meetings.models import Meeting


def seed() -> None:
    """The demo outreach series (it includes one cancelled session)."""
    call_command("seed_demo", verbosity=0)


def public_pages(language: str) -> list[tuple[str, str, int]]:
    """(name, path, expected status) for each public page in `language`."""
    scheduled = Meeting.objects.upcoming().filter(status=MeetingStatus.SCHEDULED).first()
    cancelled = Meeting.objects.upcoming().filter(status=MeetingStatus.CANCELLED).first()
    with translation.override(language):
        pages = [
            ("upcoming", reverse("meetings:upcoming"), 200),
            ("meeting", scheduled.get_absolute_url(), 200),
            ("cancelled-meeting", cancelled.get_absolute_url(), 200),
            ("privacy", reverse("meetings:privacy"), 200),
            ("questions", reverse("meetings:faq"), 200),
            ("not-found", reverse("meetings:detail", kwargs={"slug": "no-such-meeting"}), 404),
            ("email-sent", reverse("reminders:email_sent"), 200),
            ("code-nothing-pending", reverse("reminders:enter_code"), 404),
            ("confirmed", reverse("reminders:confirmed"), 200),
            ("confirm-link-invalid", reverse("reminders:confirm_email", args=["x" * 20]), 404),
        ]
    return pages
