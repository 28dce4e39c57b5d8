"""STOP and START for a phone number, whichever way they arrive (a text, or the carrier).

Built on the services' stop/resume primitives: a stop ends every subscription of the number
at once and suppresses it, so nothing (not even a confirmation code) goes to it until it
texts START; START lifts the suppression and brings back the reminders it had confirmed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import services
from .enums import DeliveryStatus, SubscriptionStatus
from .models import Delivery, Subscription

# What services.stop_contact writes on the deliveries it skips.
STOPPED_REASON = "stopped"


@transaction.atomic
def stop_number(digest: str, reason: str) -> bool:
    """Stop and suppress a number (by digest); True if it was not already suppressed."""
    newly = not services.is_suppressed(digest)
    services.stop_contact(digest, suppress=True, reason=reason)
    return newly


@transaction.atomic
def start_number(digest: str, now: datetime | None = None) -> int:
    """Lift the suppression and resume the confirmed subscriptions a stop ended.

    Returns how many came back; subscriptions never confirmed stay as they are (they need a
    new request), and those whose meeting is over are left for the retention purge.
    """
    now = now or timezone.now()
    services.resume_contact(digest)
    stopped = Subscription.objects.filter(
        contact_digest=digest, status=SubscriptionStatus.STOPPED, confirmed_at__isnull=False
    ).exclude(meeting__ends_at__lte=now)
    resumed = list(stopped.select_related("meeting"))
    # The stop skipped their pending messages; those still ahead are pending again (planning
    # anew would collide with them, one row per subscription, meeting, kind and revision).
    Delivery.objects.filter(
        subscription__in=resumed,
        status=DeliveryStatus.SKIPPED,
        last_error=STOPPED_REASON,
        meeting__starts_at__gt=now,
    ).update(status=DeliveryStatus.PENDING, last_error="")
    for subscription in resumed:
        subscription.status = SubscriptionStatus.CONFIRMED
        subscription.save(update_fields=["status"])
        services.plan_for_subscription(subscription, now)
    return len(resumed)


def language_of(digest: str) -> str:
    """The language this number's latest subscription chose, or "" when we know none."""
    latest = (
        Subscription.objects.filter(contact_digest=digest)
        .order_by("-created_at", "-pk")
        .values_list("language", flat=True)
        .first()
    )
    return latest or ""
