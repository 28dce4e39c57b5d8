"""Dispatching due deliveries and sending each one exactly once."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from .. import messages, notify, quiet_hours
from ..enums import (
    ASKS_PLAN_KINDS,
    AT_LEAST_ONCE_KINDS,
    NOTICE_KINDS,
    REMINDER_KINDS,
    Channel,
    DeliveryStatus,
    Kind,
    SkipReason,
    SubscriptionStatus,
)
from ..models import Delivery, MeetingState, Subscription
from ..notify import Message, TransportError, transport_for
from .planning import current_time, meeting_state, offsets
from .subscriptions import is_suppressed, stop_contact, unsubscribe_token

logger = logging.getLogger(__name__)

CLAIM_BATCH = 10000
# send_due_reminders (no worker) claims only what it is about to send.
IN_PROCESS_BATCH = 50
# A notice waits this long for an older message to the same person still being sent.
ORDERING_PAUSE = timedelta(seconds=15)


# --- Dispatching and sending --------------------------------------------------------------


def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Atomically mark up to `limit` due deliveries as sending and return their ids.

    Due means pending with next_try_at reached, or claimed longer than the lease ago and never
    finished while no send task is waiting in the queue (so its worker was lost, not slow to
    get to it). On PostgreSQL concurrent dispatchers skip each other's rows (FOR UPDATE SKIP
    LOCKED); SQLite serializes writers anyway.
    """
    from ..tasks import sends_waiting

    now = current_time(now)
    lease = now - timedelta(seconds=settings.REMINDERS_CLAIM_LEASE_SECONDS)
    with transaction.atomic():
        # Two simple queries rather than one OR, so each walks its own index.
        ids = _claim(
            Delivery.objects.filter(status=DeliveryStatus.PENDING, next_try_at__lte=now).order_by(
                "next_try_at"
            ),
            limit,
            now,
        )
        if len(ids) < limit and not sends_waiting():
            ids += _claim(
                Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=lease),
                limit - len(ids),
                now,
            )
    return ids


def _claim(rows: QuerySet[Delivery], limit: int, now: datetime) -> list[int]:
    """Mark up to `limit` of `rows` as sending (claimed now) and return their ids.

    On PostgreSQL one statement, UPDATE … WHERE id = ANY(ARRAY(SELECT … FOR UPDATE SKIP
    LOCKED)) RETURNING id, so no id crosses the wire but the claimed ones, once (selecting
    10,000 ids and sending them back as an IN list cost most of a dispatcher pass)."""
    if connection.vendor != "postgresql":  # SQLite: one writer at a time anyway
        ids = list(rows.values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claimed_at=now)
        return ids
    pick_sql, pick_params = (
        rows.select_for_update(skip_locked=True).values("pk")[:limit].query.sql_with_params()
    )
    table = Delivery._meta.db_table
    sql = f"""UPDATE {table} SET status = %s, claimed_at = %s
        WHERE id = ANY(ARRAY({pick_sql})) RETURNING id"""  # noqa: S608 (our identifiers)
    with connection.cursor() as cursor:
        cursor.execute(sql, [DeliveryStatus.SENDING, now, *pick_params])
        return [pk for (pk,) in cursor.fetchall()]


def dispatch(now: datetime | None = None, *, in_process: bool = False) -> int:
    """One dispatcher pass: claim everything due, then queue one send task per delivery
    (or, `in_process`, send each here). Returns how many were claimed."""
    from ..tasks import enqueue_sends

    total = 0
    size = IN_PROCESS_BATCH if in_process else CLAIM_BATCH
    while True:
        ids = claim_due(now, limit=size)
        if in_process:
            with notify.batch():
                for pk in ids:
                    send_delivery(pk, now)
        elif ids:
            enqueue_sends(ids)
        total += len(ids)
        if len(ids) < size:
            return total


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    HELD = "held"  # a text waiting for the SMS window
    CHECKING = "checking"  # an earlier attempt's outcome is unknown: looked up later
    FAILED = "failed"
    NOTHING = "nothing"  # not claimed, or already handled by another run


def send_delivery(delivery_id: int, now: datetime | None = None) -> str:
    """Send one claimed delivery. No network call happens inside a transaction:

    1. Under a row lock (and a share lock on the meeting's state, so a reschedule waits for
       it and cannot slip between the check and the send), decide, and commit an attempt
       marker (attempt_started_at) before the provider hears of the message.
    2. Call the provider, with no transaction open.
    3. Record the outcome and clear the marker.

    A marker still set when the row is next handled means a run was lost between 1 and 3
    (or the provider timed out): the message is looked up at the provider before anything is
    sent again, and where it cannot be, AT_LEAST_ONCE_KINDS decides (enums.py)."""
    now = current_time(now)
    with transaction.atomic():
        delivery = _lock_delivery(delivery_id)
        if delivery is None or delivery.status != DeliveryStatus.SENDING:
            return Outcome.NOTHING
        revision = _share_lock_state(delivery.meeting_id)
        decided = _decide(delivery, revision, now)
        if decided:
            return decided
        delivery.attempts += 1
        delivery.attempt_started_at = now
        delivery.held = False
        delivery.save(update_fields=["attempts", "attempt_started_at", "held"])
        message = delivery_message(delivery, now)
    transport = transport_for(delivery.channel)
    try:
        provider_id = transport.send(message)
    except TransportError as error:
        return _record_failure(delivery_id, error, now)
    return _record_sent(delivery_id, provider_id, now)


def _lock_delivery(delivery_id: int) -> Delivery | None:
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("subscription", "meeting__venue")
        .filter(pk=delivery_id)
        .first()
    )


def _share_lock_state(meeting_id: int) -> int | None:
    """The meeting's current revision, share-locked until commit: meeting_changed() takes
    the same row FOR UPDATE, so a reschedule waits for a send being decided, and a send
    waits for a reschedule being written (and then sees its new revision)."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    table = MeetingState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT revision FROM {table} WHERE meeting_id = %s{lock}", [meeting_id])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _decide(delivery: Delivery, revision: int | None, now: datetime) -> str:
    """The outcome if the delivery must not be sent now (recorded here), or "" to send."""
    if delivery.attempt_started_at is not None:
        resolved = _resolve_earlier_attempt(delivery, now)
        if resolved:
            return resolved
    reason = skip_reason(delivery, now, revision)
    if reason == SkipReason.STARTED and delivery.attempts:
        # It was tried and kept failing until the start: a failure staff must see as one.
        gave_up = f"{SkipReason.GAVE_UP} {delivery.last_error}"[:300]
        return _finish(delivery, DeliveryStatus.FAILED, gave_up, Outcome.FAILED)
    if reason:
        return _finish(delivery, DeliveryStatus.SKIPPED, reason, Outcome.SKIPPED)
    if delivery.channel == Channel.SMS:
        at = quiet_hours.allowed_send_time(
            now, meeting_start=delivery.meeting.starts_at, kind=delivery.kind, now=now
        )
        if at is None:
            return _finish(
                delivery, DeliveryStatus.SKIPPED, SkipReason.QUIET_UNTIL_START, Outcome.SKIPPED
            )
        if at > now:
            return _pending(delivery, at, Outcome.HELD, held=True)
    if delivery.kind in NOTICE_KINDS and _older_message_in_flight(delivery, now):
        # A reminder with the old time is being sent right now: the notice goes after it.
        return _pending(delivery, now + ORDERING_PAUSE, Outcome.RETRY)
    return ""


def _resolve_earlier_attempt(delivery: Delivery, now: datetime) -> str:
    """A run was lost mid-send, or the provider timed out: did the message go? Returns the
    outcome when settled here, or "" when it is safe to send (again)."""
    grace = timedelta(seconds=settings.REMINDERS_ATTEMPT_TIMEOUT_SECONDS)
    started = delivery.attempt_started_at
    if now < started + grace:  # that run may still be talking to the provider
        return _pending(delivery, started + grace, Outcome.CHECKING)
    transport = transport_for(delivery.channel)
    if transport.can_look_up:
        try:
            provider_id = transport.lookup(delivery_message(delivery, started), started)
        except TransportError:
            return _pending(delivery, now + grace, Outcome.CHECKING)
        if provider_id:
            delivery.provider_id, delivery.sent_at = provider_id[:100], started
            delivery.attempt_started_at = None
            return _finish(delivery, DeliveryStatus.SENT, "", Outcome.SENT)
        delivery.attempt_started_at = None  # the provider never had it: send it
        return ""
    if delivery.kind in AT_LEAST_ONCE_KINDS:
        delivery.attempt_started_at = None  # resent: twice is better than never, for notices
        return ""
    delivery.attempt_started_at = None
    return _finish(delivery, DeliveryStatus.FAILED, SkipReason.OUTCOME_UNKNOWN, Outcome.FAILED)


def _older_message_in_flight(delivery: Delivery, now: datetime) -> bool:
    """Another message of this meeting to this subscriber is between steps 1 and 3 (and
    not for longer than an attempt can last: a lost one is settled on its own)."""
    timeout = timedelta(seconds=settings.REMINDERS_ATTEMPT_TIMEOUT_SECONDS)
    return (
        Delivery.objects.filter(
            subscription_id=delivery.subscription_id,
            meeting_id=delivery.meeting_id,
            status__in=[DeliveryStatus.SENDING, DeliveryStatus.PENDING],
            attempt_started_at__gt=now - timeout,
        )
        .exclude(pk=delivery.pk)
        .exists()
    )


def _finish(delivery: Delivery, status: str, reason: str, outcome: str) -> str:
    delivery.status, delivery.last_error, delivery.held = status, reason, False
    delivery.save()
    if status == DeliveryStatus.SENT and delivery.kind in ASKS_PLAN_KINDS:
        # A reply YES ("I plan to go") answers the last text that asked it, not a later
        # "plan your visit" text of another meeting (the resident audit's Thursday/Saturday).
        Subscription.objects.filter(pk=delivery.subscription_id).update(
            last_reminded_meeting=delivery.meeting_id
        )
    return outcome


def _pending(delivery: Delivery, at: datetime, outcome: str, *, held: bool = False) -> str:
    """Back to pending until `at`; the dispatcher claims it again then."""
    delivery.status, delivery.next_try_at, delivery.held = DeliveryStatus.PENDING, at, held
    delivery.save()
    return outcome


def _record_sent(delivery_id: int, provider_id: str, started: datetime) -> str:
    with transaction.atomic():
        delivery = _lock_delivery(delivery_id)
        if delivery is None:
            return Outcome.SENT  # the subscription was deleted meanwhile; the text went
        if delivery.attempt_started_at != started:
            logger.warning("Delivery %s: sent, but another run had settled it", delivery_id)
        delivery.provider_id, delivery.sent_at = provider_id[:100], current_time(None)
        delivery.attempt_started_at = None
        return _finish(delivery, DeliveryStatus.SENT, "", Outcome.SENT)


def _record_failure(delivery_id: int, error: TransportError, started: datetime) -> str:
    """Unknown (the provider may have it): checked after the attempt timeout. Permanent:
    failed. Temporary: pending again after a backoff with jitter, for as long as the message
    is still worth sending (until its deadline); failed, with the reason, after that."""
    with transaction.atomic():
        delivery = _lock_delivery(delivery_id)
        if delivery is None or delivery.attempt_started_at != started:
            return Outcome.NOTHING
        now = current_time(None)
        logger.warning("Delivery %s attempt %s: %s", delivery_id, delivery.attempts, error.message)
        delivery.last_error = error.message[:300]
        if error.unknown:
            grace = timedelta(seconds=settings.REMINDERS_ATTEMPT_TIMEOUT_SECONDS)
            return _pending(delivery, started + grace, Outcome.CHECKING)
        delivery.attempt_started_at = None
        if error.stop and delivery.subscription:
            stop_contact(delivery.subscription.contact_digest, suppress=True, reason="carrier")
        if error.permanent:
            return _finish(delivery, DeliveryStatus.FAILED, delivery.last_error, Outcome.FAILED)
        retry_at = now + retry_delay(delivery.attempts)
        if retry_at >= deadline(delivery):
            reason = f"{SkipReason.GAVE_UP} {delivery.last_error}"[:300]
            return _finish(delivery, DeliveryStatus.FAILED, reason, Outcome.FAILED)
        return _pending(delivery, retry_at, Outcome.RETRY)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1, 2, 4, 8 min, then every 15 min at most; each between half and all of that
    (jitter: a provider outage does not bring every retry back in the same second)."""
    ceiling = min(30 * 2 ** (attempts - 1), 15 * 60)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def deadline(delivery: Delivery) -> datetime:
    """Until when a message is still worth sending: a reminder until the next reminder is
    due (then that one says it), the last reminder and every notice until the start."""
    start = delivery.meeting.starts_at
    if delivery.kind in REMINDER_KINDS:
        mine = offsets()[delivery.kind]
        later = [o for o in offsets(delivery.meeting).values() if o < mine]
        if later:
            return start - max(later)
    return start


def skip_reason(delivery: Delivery, now: datetime, revision: int | None = None) -> str:
    """Why a claimed delivery must not go out now, or "" if it should (`revision`: the
    meeting's, already read under a lock)."""
    meeting, subscription = delivery.meeting, delivery.subscription
    if revision is None:
        revision = meeting_state(meeting).revision
    if subscription is None or subscription.status != SubscriptionStatus.CONFIRMED:
        return SkipReason.NOT_CONFIRMED
    if now >= meeting.starts_at:
        return SkipReason.STARTED
    if not meeting.published:
        return SkipReason.UNPUBLISHED
    if delivery.kind == Kind.CANCELLED:
        if not meeting.is_cancelled:
            return SkipReason.NO_LONGER_CANCELLED
    elif meeting.is_cancelled:
        return SkipReason.CANCELLED
    elif delivery.revision != (
        revision if revision is not None else meeting_state(meeting).revision
    ):
        return SkipReason.CHANGED
    elif delivery.kind in REMINDER_KINDS and delivery.kind not in meeting.chosen_reminders:
        return SkipReason.NOT_CHOSEN
    elif _superseded(delivery, now):
        return SkipReason.SUPERSEDED
    if delivery.channel == Channel.SMS and is_suppressed(subscription.contact_digest):
        return SkipReason.NUMBER_STOPPED
    return ""


def _superseded(delivery: Delivery, now: datetime) -> bool:
    """A reminder caught up late, when a later one the meeting has is due too: send one."""
    if delivery.kind not in REMINDER_KINDS:
        return False
    mine = offsets()[delivery.kind]
    later = [offset for offset in offsets(delivery.meeting).values() if offset < mine]
    return any(now >= delivery.meeting.starts_at - offset for offset in later)


def delivery_message(delivery: Delivery, sent_at: datetime | None = None) -> Message:
    """The rendered message of a delivery, with one-click unsubscribe headers on email."""
    subscription = delivery.subscription
    urls: dict[str, str] = {}

    def build() -> dict:
        urls["unsubscribe"] = settings.SITE_URL + reverse(
            "reminders:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}
        )
        return {
            **messages.meeting_context(delivery.meeting, sent_at),
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
