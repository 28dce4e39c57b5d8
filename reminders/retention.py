"""Automatic deletion: what residents gave us goes away on its own, a few days after use.

A subscription, with its encrypted contact, is deleted `REMINDERS_RETENTION_DAYS` (default
7) after the last meeting it covers: its own meeting, or for "every upcoming meeting" the
last meeting it was planned for (or, if none ever was, the day it was confirmed), once its
term (REMINDERS_ALL_MEETINGS_DAYS from sign-up, gaps between series included) has ended
with a last message. Requests
never confirmed go after 24 hours. Delivery rows stay for statistics (kind, channel,
language, status) but lose their link to the subscription and the provider's message id,
which would lead back to the number. Stopped numbers keep only a keyed digest
(Suppression), so a STOP is honoured without keeping the number itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from . import services
from .enums import SkipReason, SubscriptionStatus
from .models import Delivery, JoinOffer, Subscription


@dataclass(frozen=True)
class Purged:
    expired: int  # subscriptions past their last meeting (confirmed or stopped)
    unconfirmed: int  # requests never confirmed in 24 hours


def retention_days() -> int:
    return settings.REMINDERS_RETENTION_DAYS


def expired_subscriptions(now: datetime) -> QuerySet[Subscription]:
    """Subscriptions whose last covered meeting ended more than the retention period ago."""
    cutoff = now - timedelta(days=retention_days())
    # Meetings skipped because an "every meeting" term ended were never theirs.
    planned_end = Max(
        "deliveries__meeting__ends_at",
        filter=~Q(deliveries__last_error=SkipReason.TERM_ENDED),
    )
    own_end = "meeting__ends_at"
    last = Coalesce(
        # GREATEST of the two, whichever exists (SQLite's MAX() is NULL if either is).
        Greatest(Coalesce(own_end, planned_end), Coalesce(planned_end, own_end)),
        "confirmed_at",
        "created_at",
        output_field=DateTimeField(),
    )
    return (
        Subscription.objects.exclude(status=SubscriptionStatus.PENDING)
        # "Every meeting" lasts its term, gaps between series included; it ends (with a last
        # message) only through end_all_meetings_terms, then goes like any other.
        .exclude(meeting__isnull=True, status=SubscriptionStatus.CONFIRMED)
        .annotate(last_meeting_end=last)
        .filter(last_meeting_end__lt=cutoff)
    )


def purge_expired(now: datetime | None = None) -> Purged:
    """Delete expired and unconfirmed subscriptions, contact and all; keep anonymous stats."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(expired_subscriptions(now).values_list("pk", flat=True))
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            Delivery.objects.filter(subscription_id__in=chunk).update(
                subscription=None, provider_id=""
            )
            Subscription.objects.filter(pk__in=chunk).delete()
    unconfirmed = services.delete_unconfirmed(now)
    JoinOffer.objects.filter(expires_at__lte=now).delete()  # text-to-join offers never answered
    return Purged(expired=len(ids), unconfirmed=unconfirmed)
