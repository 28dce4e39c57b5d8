"""Venues and the outreach meetings held at them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .enums import (
    MeetingStatus,
    Parking,
    ReminderOffset,
    SpokenLanguage,
    Transit,
    VenueKind,
    default_reminder_offsets,
)

# The staff group (made by migrations): venues, meetings and the department's answers. Its
# name is shown in the admin in either language, so it carries both.
STAFF_GROUP = "Personal de reuniones / Outreach staff"
# The short reason staff may give with a cancellation or a change ("por el clima", "por una
# emergencia"): it goes into the SMS, so its length is part of the three-part budget
# (tests/meetings/test_notice_reason.py checks the longest reason with the longest date).
REASON_MAX = 16


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind, default=VenueKind.OTHER)
    street_address = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=50, default="TX")
    postal_code = models.CharField(_("postal code"), max_length=20)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Translated (see translation.py): directions, parking, accessibility in plain words.
    notes = models.TextField(
        _("notes for visitors"),
        blank=True,
        help_text=_("Directions, where to park, which door is step-free."),
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        """One line, the way a maps search or a letter wants it."""
        return f"{self.street_address}, {self.city}, {self.state} {self.postal_code}"

    @property
    def directions_url(self) -> str:
        """A plain maps search link: nothing is loaded from a maps site until the resident taps."""
        return "https://www.google.com/maps/search/?" + urlencode(
            {"api": "1", "query": f"{self.name}, {self.address}"}
        )


class MeetingQuerySet(models.QuerySet):
    def public(self) -> MeetingQuerySet:
        return self.filter(published=True)

    def upcoming(self, now: datetime | None = None) -> MeetingQuerySet:
        """Published meetings not yet over, soonest first, with their venue in the same query."""
        now = now or timezone.now()
        return (
            self.public()
            .filter(ends_at__gt=now)
            .select_related("venue")
            .order_by("starts_at", "pk")
        )


class Meeting(models.Model):
    # Translated (see translation.py): title, description, host.
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    host = models.CharField(
        _("host"), max_length=200, blank=True, help_text=_("For example: Interim Chief of Police")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("venue")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus, default=MeetingStatus.SCHEDULED
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published meetings appear on the site.")
    )
    slug = models.SlugField(_("web address"), max_length=120, unique=True, editable=False)

    # What a worried resident looks for first; each is shown with a short translated label.
    is_free = models.BooleanField(_("free"), default=True)
    no_id_asked = models.BooleanField(_("no ID or immigration status asked"), default=True)
    spoken_languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("Languages the presenters speak."),
    )
    interpretation = models.BooleanField(_("interpretation offered"), default=False)
    children_welcome = models.BooleanField(_("children welcome"), default=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    parking = models.CharField(
        _("parking"), max_length=20, choices=Parking, default=Parking.UNKNOWN
    )
    transit = models.CharField(
        _("nearest transit"), max_length=20, choices=Transit, default=Transit.UNKNOWN
    )

    reminder_offsets = models.JSONField(
        _("reminders"),
        default=default_reminder_offsets,
        blank=True,
        help_text=_("When subscribers get a reminder of this meeting."),
    )

    # Anonymous headcount from the "I plan to go" button: a number, never who.
    planned_attendance = models.PositiveIntegerField(
        _("people planning to go"), default=0, editable=False
    )
    # Translated (see translation.py): the reason given with the last cancellation or change,
    # in the notices and on the page's banner. Set only through the staff tools.
    notice_reason = models.CharField(
        _("reason in the notice"), max_length=REASON_MAX, blank=True, editable=False
    )
    # When staff last cancelled it: an undo the same local day sends a "back on" notice.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
                violation_error_code="ends_before_start",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{self.title} ({local:%Y-%m-%d %H:%M})" if local else self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The meeting's page in the active language."""
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("A meeting must end after it starts.")}, code="ends_before_start"
            )
        unknown = set(self.spoken_languages or []) - set(SpokenLanguage.values)
        if unknown:
            raise ValidationError({"spoken_languages": _("Choose languages from the list.")})
        if set(self.reminder_offsets or []) - set(ReminderOffset.values):
            raise ValidationError({"reminder_offsets": _("Choose reminders from the list.")})

    def _unique_slug(self) -> str:
        """Stable for the meeting's life: made once from the venue and the local date."""
        local = timezone.localtime(self.starts_at)
        base = slugify(f"{self.venue.name} {local:%Y-%m-%d}")[:100] or "meeting"
        slug, n = base, 2
        while Meeting.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def chosen_reminders(self) -> list[str]:
        """The reminder offsets staff chose, earliest first (ReminderOffset values)."""
        chosen = set(self.reminder_offsets or [])
        return [value for value in ReminderOffset.values if value in chosen]

    @property
    def spoken_language_labels(self) -> list[str]:
        labels = dict(SpokenLanguage.choices)
        return [str(labels[code]) for code in self.spoken_languages if code in labels]

    def reason_in(self, language: str | None = None) -> str:
        """The notice reason in one language (the active one by default), never another's."""
        from modeltranslation.utils import build_localized_fieldname

        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return getattr(self, build_localized_fieldname("notice_reason", language), "") or ""

    def public_url(self) -> str:
        """The full address of the meeting's page in the active language (messages, flyers)."""
        return settings.SITE_URL + self.get_absolute_url()


class PolicyStatement(models.Model):
    """One of the department's own answers on the questions page ("Do officers ask about
    immigration status?"), written by staff in both languages. The software's own guarantees
    (encryption, deletion) are stated by the page itself, never here."""

    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"))
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first on the page.")
    )

    class Meta:
        verbose_name = _("department answer")
        verbose_name_plural = _("department answers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question
