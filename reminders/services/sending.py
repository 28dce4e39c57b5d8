"""Dispatching due deliveries and sending each one exactly once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from .. import messages, quiet_hours
from ..enums import REMINDER_KINDS, Channel, DeliveryStatus, Kind, SubscriptionStatus
from ..models import Delivery
from ..notify import Message, TransportError, transport_for
from .planning import current_time, meeting_state, offsets
from .subscriptions import is_suppressed, stop_contact, unsubscribe_token

logger = logging.getLogger(__name__)

CLAIM_BATCH = 10000


# --- Dispatching and sending --------------------------------------------------------------


def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Atomically mark up to `limit` due deliveries as sending and return their ids.

    Due means pending with next_try_at reached, or claimed longer than the lease ago and never
    finished (its worker was lost). On PostgreSQL concurrent dispatchers skip each other's
    rows (FOR UPDATE SKIP LOCKED); SQLite serializes writers anyway.
    """
    now = current_time(now)
    lease = now - timedelta(seconds=settings.REMINDERS_CLAIM_LEASE_SECONDS)
    with transaction.atomic():
        # Two simple queries rather than one OR, so each walks its own index.
        ids = _lock_ids(
            Delivery.objects.filter(status=DeliveryStatus.PENDING, next_try_at__lte=now).order_by(
                "next_try_at"
            ),
            limit,
        )
        if len(ids) < limit:
            ids += _lock_ids(
                Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=lease),
                limit - len(ids),
            )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.SENDING, claimed_at=now
            )
    return ids


def _lock_ids(rows: QuerySet[Delivery], limit: int) -> list[int]:
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("pk", flat=True)[:limit])


def dispatch(now: datetime | None = None, *, in_process: bool = False) -> int:
    """One dispatcher pass: claim everything due, then queue one send task per delivery
    (or, `in_process`, send each here). Returns how many were claimed."""
    from ..tasks import enqueue_sends

    total = 0
    while True:
        ids = claim_due(now)
        if in_process:
            for pk in ids:
                send_delivery(pk, now)
        elif ids:
            enqueue_sends(ids)
        total += len(ids)
        if len(ids) < CLAIM_BATCH:
            return total


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    NOTHING = "nothing"  # not claimed, or already handled by another run


def send_delivery(delivery_id: int, now: datetime | None = None) -> str:
    """Send one claimed delivery, at most once: the row stays locked from the status check
    to the recorded result, so a task that runs twice (or concurrently) sends once."""
    now = current_time(now)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscription", "meeting__venue")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.SENDING:
            return Outcome.NOTHING
        reason = skip_reason(delivery, now)
        if reason:
            delivery.status, delivery.last_error = DeliveryStatus.SKIPPED, reason
            delivery.save(update_fields=["status", "last_error"])
            return Outcome.SKIPPED
        if delivery.channel == Channel.SMS and not quiet_hours.is_allowed(now):
            return _defer_to_allowed_hours(delivery, now)
        delivery.attempts += 1
        try:
            provider_id = transport_for(delivery.channel).send(delivery_message(delivery))
        except TransportError as error:
            return _record_failure(delivery, error, now)
        delivery.status, delivery.provider_id = DeliveryStatus.SENT, provider_id[:100]
        delivery.sent_at, delivery.last_error = now, ""
        delivery.save()
        return Outcome.SENT


def _record_failure(delivery: Delivery, error: TransportError, now: datetime) -> str:
    """Permanent (or the last try): failed. Transient: pending again after an exponential
    backoff of 1, 2, 4, 8 minutes; the dispatcher picks it up then."""
    delivery.last_error = error.message[:300]
    if error.stop and delivery.subscription:
        stop_contact(delivery.subscription.contact_digest, suppress=True, reason="carrier")
    if error.permanent or delivery.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        outcome = Outcome.FAILED
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_try_at = now + timedelta(minutes=2 ** (delivery.attempts - 1))
        outcome = Outcome.RETRY
    delivery.save()
    logger.warning(
        "Delivery %s attempt %s: %s", delivery.pk, delivery.attempts, delivery.last_error
    )
    return outcome


def _defer_to_allowed_hours(delivery: Delivery, now: datetime) -> str:
    """A text claimed outside quiet hours (a dispatcher catching up at night): pending again
    at the next allowed minute, or skipped if that is not before the meeting starts."""
    at = quiet_hours.allowed_send_time(
        now, meeting_start=delivery.meeting.starts_at, kind=delivery.kind, now=now
    )
    if at is None:
        delivery.status, delivery.last_error = DeliveryStatus.SKIPPED, "quiet hours until start"
        delivery.save(update_fields=["status", "last_error"])
        return Outcome.SKIPPED
    delivery.status, delivery.next_try_at = DeliveryStatus.PENDING, at
    delivery.save(update_fields=["status", "next_try_at"])
    return Outcome.RETRY


def skip_reason(delivery: Delivery, now: datetime) -> str:
    """Why a claimed delivery must not go out now, or "" if it should."""
    meeting, subscription = delivery.meeting, delivery.subscription
    if subscription is None or subscription.status != SubscriptionStatus.CONFIRMED:
        return "no confirmed subscription"
    if now >= meeting.starts_at:
        return "meeting already started"
    if not meeting.published:
        return "meeting not published"
    if delivery.kind == Kind.CANCELLED:
        if not meeting.is_cancelled:
            return "meeting no longer cancelled"
    elif meeting.is_cancelled:
        return "meeting cancelled"
    elif delivery.revision != meeting_state(meeting).revision:
        return "meeting changed since planned"
    elif _superseded(delivery, now):
        return "a later reminder is already due"
    if delivery.channel == Channel.SMS and is_suppressed(subscription.contact_digest):
        return "number stopped"
    return ""


def _superseded(delivery: Delivery, now: datetime) -> bool:
    """A day-before reminder caught up late, when the two-hour one is due too: send one."""
    if delivery.kind not in REMINDER_KINDS:
        return False
    mine = offsets()[delivery.kind]
    later = [offset for offset in offsets().values() if offset < mine]
    return any(now >= delivery.meeting.starts_at - offset for offset in later)


def delivery_message(delivery: Delivery) -> Message:
    """The rendered message of a delivery, with one-click unsubscribe headers on email."""
    subscription = delivery.subscription
    urls: dict[str, str] = {}

    def build() -> dict:
        urls["unsubscribe"] = settings.SITE_URL + reverse(
            "reminders:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}
        )
        return {
            **messages.meeting_context(delivery.meeting),
            "unsubscribe_url": urls["unsubscribe"],
        }

    sms = delivery.channel == Channel.SMS
    rendered = messages.render(delivery.kind, delivery.language, build, sms_only=sms)
    headers = {}
    if not sms:
        headers = {
            "List-Unsubscribe": f"<{urls['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return Message(
        to=subscription.contact,
        sms=rendered.sms,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        headers=headers,
        tag=f"{delivery.kind}-d{delivery.pk}",
    )
