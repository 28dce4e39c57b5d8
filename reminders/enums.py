"""Choices for subscriptions and deliveries, each with a short translated label."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")


class Scope(models.TextChoices):
    # Short codes: a form value is read out by some screen readers, so no English words.
    MEETING = "one", _("This meeting")
    ALL = "all", _("All upcoming meetings")


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("subscription status", "Waiting for confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("subscription status", "Confirmed")
    STOPPED = "stopped", pgettext_lazy("subscription status", "Stopped")


class Kind(models.TextChoices):
    REMINDER_24H = "reminder_24h", _("Reminder the day before")
    REMINDER_2H = "reminder_2h", _("Reminder two hours before")
    CANCELLED = "cancelled", _("Cancellation notice")
    CHANGED = "changed", _("Change notice")
    BACK_ON = "back_on", _("Back-on notice (cancellation undone)")


REMINDER_KINDS = (Kind.REMINDER_24H, Kind.REMINDER_2H)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "Pending")
    SENDING = "sending", pgettext_lazy("delivery status", "Sending")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")
    SKIPPED = "skipped", pgettext_lazy("delivery status", "Skipped")
