"""Everything reminders do that has side effects: subscribe, confirm, stop, plan, dispatch, send.

Views, tasks, signals and the admin call these; nothing here sends from a request: messages
are queued with transaction.on_commit and sent by a Celery task (or `send_due_reminders`).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingStatus
from meetings.models import Meeting

from . import crypto, messages, quiet_hours
from .enums import REMINDER_KINDS, Channel, DeliveryStatus, Kind, SubscriptionStatus
from .models import Delivery, MeetingState, Subscription, Suppression
from .notify import Message, TransportError, transport_for

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=15)
CODE_MAX_TRIES = 5
UNCONFIRMED_LIFETIME = timedelta(hours=24)
CLAIM_BATCH = 10000
UNSUBSCRIBE_SALT = "reminders.unsubscribe"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def offsets() -> dict[str, timedelta]:
    """Reminder kind -> how long before the start it goes out (settings.REMINDERS_OFFSETS_HOURS)."""
    return {kind: timedelta(hours=h) for kind, h in settings.REMINDERS_OFFSETS_HOURS.items()}


def _queue(task_name: str, *args: int) -> None:
    """Queue a task by name once the current transaction commits (ids only as arguments)."""
    from . import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(*args))


# --- Subscribing --------------------------------------------------------------------------


@transaction.atomic
def request_subscription(
    *,
    channel: str,
    contact: str,
    language: str,
    meeting: Meeting | None,
    consent_page: str,
    now: datetime | None = None,
) -> Subscription:
    """Record a request (or reuse the contact's existing one) and queue its confirmation.

    `contact` is already normalized; `meeting` None means every upcoming meeting. The caller
    behaves identically whatever this finds, so a page never tells whether a contact is known.
    """
    now = _now(now)
    digest = crypto.digest(contact)
    existing = Subscription.objects.select_for_update().filter(contact_digest=digest)
    subscription = existing.filter(meeting=meeting).first()
    if subscription is None and meeting is not None:
        # Someone already reminded of every meeting is covered; confirm that one again.
        subscription = existing.filter(
            meeting__isnull=True, status=SubscriptionStatus.CONFIRMED
        ).first()
    if subscription is None:
        subscription = Subscription(channel=channel, meeting=meeting, language=language)
        subscription.set_contact(contact)
    if subscription.status != SubscriptionStatus.CONFIRMED:
        subscription.status = SubscriptionStatus.PENDING
        subscription.language = language
        subscription.consent_at = now
        subscription.consent_page = consent_page[:300]
    subscription.save()
    _queue("send_confirmation", subscription.pk)
    return subscription


def send_confirmation(subscription_id: int, now: datetime | None = None) -> None:
    """Make a fresh code (SMS) or link (email), keep only its hash, and send it."""
    now = _now(now)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
            return
        if subscription.channel == Channel.SMS:
            if is_suppressed(subscription.contact_digest):
                return  # a number that texted STOP gets nothing until it texts START
            secret = f"{secrets.randbelow(10**6):06d}"
            subscription.code_hash = crypto.code_hash(subscription.pk, secret)
            subscription.code_expires_at = now + CODE_LIFETIME
            subscription.code_attempts = 0
        else:
            secret = secrets.token_urlsafe(32)
            subscription.token_hash = crypto.token_hash(secret)
        subscription.save()
    _send_now(subscription, "confirm", lambda: _confirm_context(subscription, secret))


def _confirm_context(subscription: Subscription, secret: str) -> dict:
    path = reverse("reminders:confirm_email", kwargs={"token": secret})
    return {
        "code": secret,
        "confirm_url": settings.SITE_URL + path,
        "meeting": subscription.meeting,
        "all_meetings": subscription.meeting_id is None,
    }


def send_welcome(subscription_id: int) -> None:
    """The first SMS after confirming: who we are, how many messages, how to stop. Sent once."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if (
            subscription is None
            or subscription.welcomed
            or subscription.status != SubscriptionStatus.CONFIRMED
            or is_suppressed(subscription.contact_digest)
        ):
            return
        _send_now(subscription, "welcome", lambda: {"meeting": subscription.meeting})
        subscription.welcomed = True
        subscription.save(update_fields=["welcomed"])


def _send_now(subscription: Subscription, kind: str, build) -> str:
    """Render and send a message that is not a Delivery (confirmation, welcome)."""
    sms = subscription.channel == Channel.SMS
    rendered = messages.render(kind, subscription.language, build, sms_only=sms)
    message = Message(
        to=subscription.contact,
        sms=rendered.sms,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        tag=f"{kind}-s{subscription.pk}",
    )
    return transport_for(subscription.channel).send(message)


class CodeResult:
    CONFIRMED = "confirmed"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"


@transaction.atomic
def confirm_code(subscription_id: int, code: str, now: datetime | None = None) -> str:
    """Check a typed SMS code: a CodeResult value. Five wrong tries lock the code."""
    now = _now(now)
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None or not subscription.code_hash:
        return CodeResult.EXPIRED
    if subscription.code_attempts >= CODE_MAX_TRIES:
        return CodeResult.LOCKED
    if subscription.code_expires_at is None or subscription.code_expires_at <= now:
        return CodeResult.EXPIRED
    expected = crypto.code_hash(subscription.pk, (code or "").strip())
    if not hmac.compare_digest(expected, subscription.code_hash):
        subscription.code_attempts += 1
        subscription.save(update_fields=["code_attempts"])
        locked = subscription.code_attempts >= CODE_MAX_TRIES
        return CodeResult.LOCKED if locked else CodeResult.WRONG
    _activate(subscription, now)
    return CodeResult.CONFIRMED


def pending_for_token(token: str) -> Subscription | None:
    """The subscription an email confirmation link belongs to, if the link is still good."""
    if not token:
        return None
    return Subscription.objects.filter(token_hash=crypto.token_hash(token)).first()


@transaction.atomic
def confirm_token(token: str, now: datetime | None = None) -> Subscription | None:
    """Confirm the subscription of an email link (once); None when the link is not valid."""
    found = pending_for_token(token)
    if found is None:
        return None
    subscription = Subscription.objects.select_for_update().get(pk=found.pk)
    _activate(subscription, _now(now))
    return subscription


def _activate(subscription: Subscription, now: datetime) -> None:
    """Mark confirmed, forget the secrets, plan what is ahead, welcome a new SMS subscriber."""
    subscription.status = SubscriptionStatus.CONFIRMED
    subscription.confirmed_at = subscription.confirmed_at or now
    subscription.token_hash = ""
    subscription.code_hash = ""
    subscription.code_expires_at = None
    subscription.code_attempts = 0
    subscription.save()
    if subscription.meeting_id is None:
        _merge_into_all_meetings(subscription)
    plan_for_subscription(subscription, now)
    if subscription.channel == Channel.SMS and not subscription.welcomed:
        _queue("send_welcome", subscription.pk)


def _merge_into_all_meetings(subscription: Subscription) -> None:
    """One contact, one set of messages: meeting-only requests fold into "all meetings"."""
    others = Subscription.objects.filter(contact_digest=subscription.contact_digest).exclude(
        pk=subscription.pk
    )
    _skip_pending(Delivery.objects.filter(subscription__in=others), "merged")
    others.delete()


# --- Stopping -----------------------------------------------------------------------------


def unsubscribe_token(subscription: Subscription) -> str:
    """A token for the one-click unsubscribe link (names no contact)."""
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def subscription_for_unsubscribe_token(token: str) -> Subscription | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first()


@transaction.atomic
def stop_contact(digest: str, *, suppress: bool = False, reason: str = "unsubscribed") -> int:
    """Stop every subscription of a contact at once; with `suppress`, block the number until
    it texts START (STOP keywords, carrier opt-out). Returns how many were stopped."""
    subscriptions = Subscription.objects.filter(contact_digest=digest).exclude(
        status=SubscriptionStatus.STOPPED
    )
    _skip_pending(Delivery.objects.filter(subscription__in=subscriptions), "stopped")
    count = subscriptions.update(status=SubscriptionStatus.STOPPED)
    if suppress:
        Suppression.objects.get_or_create(contact_digest=digest, defaults={"reason": reason})
    return count


def resume_contact(digest: str) -> None:
    """START: lift the suppression (subscriptions come back only through a new request)."""
    Suppression.objects.filter(contact_digest=digest).delete()


def is_suppressed(digest: str) -> bool:
    return Suppression.objects.filter(contact_digest=digest).exists()


def delete_unconfirmed(now: datetime | None = None) -> int:
    """Delete requests never confirmed within 24 hours, contact and all. Returns the count."""
    cutoff = _now(now) - UNCONFIRMED_LIFETIME
    deleted, _detail = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted


def _skip_pending(deliveries: QuerySet[Delivery], reason: str) -> int:
    return deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, last_error=reason
    )


# --- Planning -----------------------------------------------------------------------------


def _plannable(meeting: Meeting) -> bool:
    return meeting.published and meeting.status == MeetingStatus.SCHEDULED


def _state(meeting: Meeting) -> MeetingState:
    state, _created = MeetingState.objects.get_or_create(
        meeting=meeting, defaults=_snapshot(meeting)
    )
    return state


def _snapshot(meeting: Meeting) -> dict:
    return {
        "starts_at": meeting.starts_at,
        "venue_id": meeting.venue_id,
        "status": meeting.status,
        "published": meeting.published,
    }


def confirmed_for(meeting: Meeting) -> QuerySet[Subscription]:
    """Confirmed subscriptions covering a meeting: to it, or to every upcoming meeting."""
    return Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED).filter(
        Q(meeting=meeting) | Q(meeting__isnull=True)
    )


def plan_meeting(meeting: Meeting, now: datetime | None = None) -> int:
    """Plan the reminders still ahead for every covering subscription not yet planned at the
    meeting's current revision (bulk, in chunks). Returns how many rows were written."""
    now = _now(now)
    if not _plannable(meeting):
        return 0
    revision = _state(meeting).revision
    due = _reminders_ahead(meeting, now)
    if not due:
        return 0
    planned = Delivery.objects.filter(
        subscription=OuterRef("pk"), meeting=meeting, revision=revision, kind__in=REMINDER_KINDS
    )
    subscriptions = confirmed_for(meeting).filter(~Exists(planned))
    return _bulk_plan(meeting.pk, subscriptions, due, revision, _sms_due(meeting, due, now))


def plan_for_subscription(subscription: Subscription, now: datetime | None = None) -> int:
    """Plan the reminders still ahead for one newly confirmed subscription."""
    now = _now(now)
    if subscription.meeting_id:
        meetings = [subscription.meeting]
    else:
        meetings = Meeting.objects.upcoming(now).filter(
            status=MeetingStatus.SCHEDULED, starts_at__gt=now
        )
    row = Subscription.objects.filter(pk=subscription.pk)
    total = 0
    for meeting in meetings:
        if _plannable(meeting):
            due = _reminders_ahead(meeting, now)
            revision = _state(meeting).revision
            total += _bulk_plan(meeting.pk, row, due, revision, _sms_due(meeting, due, now))
    return total


def _reminders_ahead(meeting: Meeting, now: datetime) -> dict[str, datetime]:
    """Reminder kind -> due time, for those not yet past (a late subscriber gets the rest)."""
    due = {kind: meeting.starts_at - offset for kind, offset in offsets().items()}
    return {kind: at for kind, at in due.items() if at > now}


def _bulk_plan(
    meeting_id: int,
    subscriptions: QuerySet[Subscription],
    due: dict[str, datetime],
    revision: int,
    sms_due: dict[str, datetime] | None = None,
) -> int:
    """One INSERT … SELECT: a Delivery per (subscription, kind), made inside the database with
    no row passing through Python (100,000 subscribers in seconds). Duplicates are ignored by
    the unique constraint, so planning twice is harmless. SMS rows use `sms_due` when given;
    a kind missing from a channel's times is not planned for it. Returns rows written."""
    sms_due = due if sms_due is None else sms_due
    kinds = sorted(due.keys() | sms_due.keys())
    if not kinds:
        return 0
    adapt = connection.ops.adapt_datetimefield_value
    # PostgreSQL needs the type of a bare parameter; SQLite stores datetimes as text.
    at = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    times_sql = " UNION ALL ".join(
        [f"SELECT %s AS kind, {at} AS other_at, {at} AS sms_at"] * len(kinds)
    )
    times_params: list = []
    for kind in kinds:
        times_params += [kind, adapt(due.get(kind)), adapt(sms_due.get(kind))]
    subs_sql, subs_params = subscriptions.values(
        "pk", "channel", "language"
    ).query.sql_with_params()
    table = Delivery._meta.db_table
    sql = f"""
        INSERT INTO {table} (subscription_id, meeting_id, kind, revision, channel, language,
            due_at, next_try_at, status, attempts, provider_id, last_error, created_at)
        SELECT id, %s, kind, %s, channel, language, at, at, %s, 0, '', '', %s FROM (
            SELECT sub.pk AS id, k.kind, sub.channel, sub.language,
                CASE WHEN sub.channel = %s THEN k.sms_at ELSE k.other_at END AS at
            FROM ({subs_sql}) sub CROSS JOIN ({times_sql}) k
        ) planned
        WHERE at IS NOT NULL
        ON CONFLICT DO NOTHING"""  # noqa: S608 (identifiers are ours; values are parameters)
    params = [meeting_id, revision, DeliveryStatus.PENDING, adapt(timezone.now()), Channel.SMS]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *subs_params, *times_params])
        return max(cursor.rowcount, 0)


@transaction.atomic
def meeting_changed(meeting_id: int, now: datetime | None = None) -> int:
    """Compare a meeting with what reminders last knew of it and act: a cancellation plans
    a notice for every confirmed subscriber and voids pending reminders; a new start time
    or venue bumps the revision, plans "changed" notices and re-plans the reminders; an
    undone cancellation bumps the revision, voids the cancellation notices not yet sent,
    plans "back on" notices and re-plans the reminders; a newly published meeting gets its
    reminders. Notices due now are dispatched after commit.
    Safe to call any number of times; returns how many notices were planned."""
    now = _now(now)
    meeting = Meeting.objects.select_related("venue").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    state = MeetingState.objects.select_for_update().filter(meeting=meeting).first()
    if state is None:
        _state(meeting)
        plan_meeting(meeting, now)
        return 0
    was_public, old_start = state.published, state.starts_at
    moved = state.starts_at != meeting.starts_at or state.venue_id != meeting.venue_id
    cancelled = meeting.is_cancelled and state.status != MeetingStatus.CANCELLED
    restored = not meeting.is_cancelled and state.status == MeetingStatus.CANCELLED
    if moved or restored:
        state.revision += 1
    for field, value in _snapshot(meeting).items():
        setattr(state, field, value)
    state.save()
    _void_obsolete(meeting, state.revision)
    notices = 0
    if was_public and meeting.published:
        if cancelled and old_start > now:
            notices = _plan_notices(meeting, Kind.CANCELLED, state.revision, now)
        elif restored and meeting.starts_at > now:
            notices = _plan_back_on(meeting, state.revision, now)
        elif moved and not meeting.is_cancelled and meeting.starts_at > now:
            notices = _plan_notices(meeting, Kind.CHANGED, state.revision, now)
    plan_meeting(meeting, now)
    if notices:
        _queue("dispatch_due")
    return notices


def _void_obsolete(meeting: Meeting, revision: int) -> None:
    """Pending reminders of an older revision, or of a meeting now hidden or cancelled."""
    pending = Delivery.objects.filter(
        meeting=meeting, kind__in=[*REMINDER_KINDS, Kind.CHANGED, Kind.BACK_ON]
    )
    if _plannable(meeting):
        _skip_pending(pending.filter(revision__lt=revision), "meeting changed")
    else:
        _skip_pending(pending, "meeting cancelled or unpublished")


def _plan_notices(
    meeting: Meeting,
    kind: str,
    revision: int,
    now: datetime,
    subscriptions: QuerySet[Subscription] | None = None,
) -> int:
    """Plan a notice due now (texts at the next allowed minute) for every confirmed subscriber,
    or only `subscriptions`. Returns rows written."""
    due = {kind: now}
    audience = confirmed_for(meeting) if subscriptions is None else subscriptions
    return _bulk_plan(meeting.pk, audience, due, revision, _sms_due(meeting, due, now))


def _plan_back_on(meeting: Meeting, revision: int, now: datetime) -> int:
    """An undone cancellation: tell those whose cancellation notice was planned (not skipped)
    that the meeting is back on, and void the notices not yet sent, so nobody reads
    "cancelled" after "back on". Returns how many notices were planned."""
    notices = Delivery.objects.filter(meeting=meeting, kind=Kind.CANCELLED)
    # Only the cancellation just undone counts, not one undone before (its notices are older).
    earlier = Delivery.objects.filter(meeting=meeting, kind=Kind.BACK_ON)
    since = earlier.aggregate(last=Max("revision"))["last"] or 0
    told = notices.filter(subscription=OuterRef("pk"), revision__gte=since).exclude(
        status=DeliveryStatus.SKIPPED
    )
    audience = confirmed_for(meeting).filter(Exists(told))
    planned = _plan_notices(meeting, Kind.BACK_ON, revision, now, audience)
    _skip_pending(notices, "cancellation undone")
    return planned


def _sms_due(meeting: Meeting, due: dict[str, datetime], now: datetime) -> dict[str, datetime]:
    """Texts keep quiet hours (reminders earlier, notices at the next allowed minute)."""
    return quiet_hours.sms_times(due, meeting_start=meeting.starts_at, now=now)


# --- Dispatching and sending --------------------------------------------------------------


def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Atomically mark up to `limit` due deliveries as sending and return their ids.

    Due means pending with next_try_at reached, or claimed longer than the lease ago and never
    finished (its worker was lost). On PostgreSQL concurrent dispatchers skip each other's
    rows (FOR UPDATE SKIP LOCKED); SQLite serializes writers anyway.
    """
    now = _now(now)
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
    from .tasks import enqueue_sends

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
    now = _now(now)
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
    elif delivery.revision != _state(meeting).revision:
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


# --- Staff --------------------------------------------------------------------------------


def subscriber_counts(meeting_ids: Iterable[int]) -> dict[int, dict]:
    """Confirmed subscribers per meeting, counts only: {id: {"total": n, "sms": {"es": n,
    "en": n}, "email": {...}}}; "every upcoming meeting" subscribers count for each meeting
    not yet over."""
    ids = list(meeting_ids)
    result = {pk: _empty_counts() for pk in ids}
    confirmed = Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED)
    specific = (
        confirmed.filter(meeting_id__in=ids)
        .values_list("meeting_id", "channel", "language")
        .annotate(n=Count("pk"))
    )
    for meeting_id, channel, language, n in specific:
        _add(result[meeting_id], channel, language, n)
    everyone = list(
        confirmed.filter(meeting__isnull=True)
        .values_list("channel", "language")
        .annotate(n=Count("pk"))
    )
    upcoming = Meeting.objects.filter(pk__in=ids, ends_at__gt=timezone.now())
    for meeting_id in upcoming.values_list("pk", flat=True):
        for channel, language, n in everyone:
            _add(result[meeting_id], channel, language, n)
    return result


def _empty_counts() -> dict:
    languages = [code for code, _name in settings.LANGUAGES]
    return {"total": 0, **{channel: dict.fromkeys(languages, 0) for channel in Channel.values}}


def _add(counts: dict, channel: str, language: str, n: int) -> None:
    counts[channel][language] = counts[channel].get(language, 0) + n
    counts["total"] += n


def resend_confirmation(subscription_id: int) -> None:
    """Queue a new code or link for a pending request (the old one stops working)."""
    _queue("send_confirmation", subscription_id)
