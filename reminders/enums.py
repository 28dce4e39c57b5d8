"""Choices for subscriptions and deliveries, each with a short translated label."""

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


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
    REMINDER_3D = "reminder_3d", _("Reminder three days before (plan your visit)")
    REMINDER_24H = "reminder_24h", _("Reminder the day before")
    REMINDER_2H = "reminder_2h", _("Reminder two hours before")
    CANCELLED = "cancelled", _("Cancellation notice")
    CHANGED = "changed", _("Change notice")
    BACK_ON = "back_on", _("Back-on notice (cancellation undone)")


# Earliest first; each is one of meetings.enums.ReminderOffset, which staff choose per meeting.
REMINDER_KINDS = (Kind.REMINDER_3D, Kind.REMINDER_24H, Kind.REMINDER_2H)
NOTICE_KINDS = (Kind.CANCELLED, Kind.CHANGED, Kind.BACK_ON)
# The reminders whose text asks "Planning to come? Reply YES": only these tell which meeting
# a YES answers (Subscription.last_reminded_meeting); the others ask nothing.
ASKS_PLAN_KINDS = (Kind.REMINDER_24H,)

# The guarantee per kind when a send's outcome is unknown (a worker lost after calling the
# provider, a provider that accepted and then timed out) and the provider cannot tell us:
# a reminder sent twice is worse than one missed, so it is NOT resent (at most once); a
# missed cancellation or change sends someone to a closed door, so it IS resent (at least
# once). When the transport can look the message up, both are sent exactly once.
AT_LEAST_ONCE_KINDS = NOTICE_KINDS


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "Pending")
    SENDING = "sending", pgettext_lazy("delivery status", "Sending")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")
    SKIPPED = "skipped", pgettext_lazy("delivery status", "Skipped")


class SkipReason(models.TextChoices):
    """Why a message was not sent (Delivery.last_error), for staff: what happened, and by the
    label, what to do. Codes are stored; labels are translated when shown."""

    NOT_CONFIRMED = "not_confirmed", _("The person stopped their reminders or never confirmed.")
    STARTED = "started", _("The meeting had already started.")
    UNPUBLISHED = "unpublished", _("The meeting was hidden from the site.")
    NO_LONGER_CANCELLED = "no_longer_cancelled", _("The cancellation was undone.")
    CANCELLED = "cancelled", _("The meeting was cancelled; a cancellation notice went instead.")
    CHANGED = "changed", _("The meeting changed; a message with the new details went instead.")
    NOT_CHOSEN = "not_chosen", _("Staff turned this reminder off for the meeting.")
    SUPERSEDED = "superseded", _("A later reminder was already due; only that one was sent.")
    NUMBER_STOPPED = "number_stopped", _("The number replied STOP.")
    QUIET_UNTIL_START = (
        "quiet_until_start",
        _("No allowed hour for texts came before the meeting started."),
    )
    MERGED = "merged", _("The person now gets reminders of every meeting instead.")
    STOPPED = "stopped", _("The person stopped their reminders.")
    OUTCOME_UNKNOWN = (
        "outcome_unknown",
        _("The provider may or may not have sent it; not sent again, to avoid a duplicate."),
    )
    TERM_ENDED = (
        "term_ended",
        _("The person's reminders of every meeting reached the end they were told at sign-up."),
    )
    GAVE_UP = "gave_up", _("Not sent before the meeting despite repeated tries:")


def reason_label(stored: str) -> str:
    """A delivery's stored reason (Delivery.last_error) for staff: a skip code's label, "gave
    up" with the last provider error after it, or the provider's error text as it came (it
    names no one)."""
    if stored in SkipReason.values:
        return str(SkipReason(stored).label)
    code, _space, rest = stored.partition(" ")
    if code == SkipReason.GAVE_UP:
        return f"{SkipReason.GAVE_UP.label} {rest}"
    return stored or gettext("No reason was recorded.")
