"""Who asked to be reminded, what we will send them, and which numbers said STOP.

Contacts are stored only encrypted (crypto.py) next to a keyed digest used for look-ups;
Delivery rows copy channel and language so statistics outlive the subscription.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from outreach import languages

from . import contacts, crypto
from .enums import Channel, DeliveryStatus, Kind, SubscriptionStatus

# A callable: the enabled languages (settings.LANGUAGES) without a migration per install.
LANGUAGE_CHOICES = languages.choices


class Subscription(models.Model):
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    contact_encrypted = models.TextField(editable=False)
    contact_digest = models.CharField(max_length=64, editable=False, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    # NULL means every upcoming meeting.
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("meeting"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SubscriptionStatus, default=SubscriptionStatus.PENDING
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_page = models.CharField(_("consent given on page"), max_length=300)
    # Which wording the resident agreed to, when it was not a page ("sms-join:…" for a text
    # to join: a hash of the offer's words, never the resident's message).
    consent_version = models.CharField(
        _("consent wording version"), max_length=40, blank=True, default=""
    )
    # Email confirmation: only the hash of the link's token is kept.
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # SMS confirmation: keyed hash of the six-digit code, its expiry and the wrong tries.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # The first SMS after confirming repeats who we are and how to stop.
    welcomed = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The meeting of the last reminder sent to it: a reply YES ("I plan to go") is about it.
    last_reminded_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder subscription")
        verbose_name_plural = _("reminder subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_digest", "meeting"], name="one_subscription_per_contact_meeting"
            ),
            models.UniqueConstraint(
                fields=["contact_digest"],
                condition=Q(meeting__isnull=True),
                name="one_all_meetings_subscription_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["status", "meeting"], name="subscription_status_meeting")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.masked_contact}"

    @property
    def contact(self) -> str:
        """The plaintext contact: for transports only, never for logs or pages."""
        return crypto.decrypt(self.contact_encrypted)

    def set_contact(self, normalized: str) -> None:
        self.contact_encrypted = crypto.encrypt(normalized)
        self.contact_digest = crypto.digest(normalized)

    @property
    def masked_contact(self) -> str:
        """What staff may see: "•••-•••-1234" or "j•••@example.org"."""
        return contacts.mask(self.channel, self.contact)


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # The meeting's revision (MeetingState) the message was planned for: a reschedule makes
    # older reminders obsolete and plans new ones.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    due_at = models.DateTimeField(_("due at"))
    next_try_at = models.DateTimeField(_("next try at"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Set, and committed, before the provider is called; cleared when its outcome is recorded.
    # Still set means the provider may or may not have the message: find out before resending.
    attempt_started_at = models.DateTimeField(_("attempt started at"), null=True, blank=True)
    # A text waiting for the SMS window (quiet hours) until next_try_at.
    held = models.BooleanField(_("held for quiet hours"), default=False, db_default=False)
    # Indexed: Twilio's status callbacks find their delivery by it.
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True, db_index=True)
    # Never contact data: transports raise errors that name no recipient.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "meeting", "kind", "revision"],
                name="one_delivery_per_subscription_meeting_kind_revision",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_try_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class MeetingState(models.Model):
    """What reminders last knew of a meeting, to tell a reschedule or a cancellation."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, primary_key=True, related_name="reminder_state"
    )
    starts_at = models.DateTimeField()
    venue_id = models.BigIntegerField()
    # The venue's street address as last announced: a changed address is a move.
    address = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20)
    published = models.BooleanField()
    revision = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"meeting {self.meeting_id} revision {self.revision}"


class PlanToGo(models.Model):
    """A subscriber already counted as going to a meeting (they replied YES to its reminder):
    only what stops a second YES from counting twice. The count itself is the meeting's
    planned_attendance (the "I plan to go" button's), which names no one; this row goes with
    the subscription."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "meeting"], name="one_plan_to_go_per_subscription_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"meeting {self.meeting_id}"


class JoinOffer(models.Model):
    """A number texted a join keyword and was offered the next meetings; its answer (1, TODAS,
    ALL) is read against this. Keyed by the number's digest (never the number), expires."""

    contact_digest = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    keyword = models.CharField(max_length=40)
    # The version of the offer's words (join.disclosure_version): what the answer consents to.
    version = models.CharField(max_length=40)
    # The "next meeting" the offer named (answer 1).
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"offer {self.expires_at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """A number that texted STOP (or the carrier says did): nothing goes to it until START."""

    contact_digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stopped number")
        verbose_name_plural = _("stopped numbers")

    def __str__(self) -> str:
        return f"{self.reason} {self.created_at:%Y-%m-%d}"  # the digest means nothing to staff


class InboundMessage(models.Model):
    """An inbound text already acted on, by a digest of Twilio's MessageSid: Twilio's signature
    carries no time, so a captured request replayed later must change nothing. Kept
    INBOUND_SMS_REMEMBER_DAYS, then deleted (reminders/inbound.py)."""

    sid_digest = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"inbound {self.received_at:%Y-%m-%d}"
