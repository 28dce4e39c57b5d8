"""Planning deliveries: reminders ahead of each meeting, notices when staff change one,
and the counts staff see. The lowest layer: subscriptions and sending build on it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from meetings.enums import MeetingStatus
from meetings.models import Meeting

from .. import quiet_hours
from ..enums import (
    NOTICE_KINDS,
    REMINDER_KINDS,
    Channel,
    DeliveryStatus,
    Kind,
    SkipReason,
    SubscriptionStatus,
)
from ..models import Delivery, MeetingState, Subscription

logger = logging.getLogger(__name__)


def current_time(now: datetime | None) -> datetime:
    return now or timezone.now()


def offsets(meeting: Meeting | None = None) -> dict[str, timedelta]:
    """Reminder kind -> how long before the start it goes out (settings.REMINDERS_OFFSETS_HOURS):
    every kind, or only those the meeting's staff chose (Meeting.reminder_offsets)."""
    hours = settings.REMINDERS_OFFSETS_HOURS
    kinds = REMINDER_KINDS if meeting is None else meeting.chosen_reminders
    return {kind: timedelta(hours=hours[kind]) for kind in kinds if kind in hours}


def queue_on_commit(task_name: str, *args: int) -> None:
    """Queue a task by name once the current transaction commits (ids only as arguments)."""
    from .. import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(*args))


def skip_pending(deliveries: QuerySet[Delivery], reason: str) -> int:
    return deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, last_error=reason
    )


# --- Planning -----------------------------------------------------------------------------


def _plannable(meeting: Meeting) -> bool:
    return meeting.published and meeting.status == MeetingStatus.SCHEDULED


def meeting_state(meeting: Meeting) -> MeetingState:
    state, _created = MeetingState.objects.get_or_create(
        meeting=meeting, defaults=_snapshot(meeting)
    )
    return state


def _snapshot(meeting: Meeting) -> dict:
    return {
        "starts_at": meeting.starts_at,
        "venue_id": meeting.venue_id,
        "address": meeting.venue.street_address,
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
    now = current_time(now)
    if not _plannable(meeting):
        return 0
    revision = meeting_state(meeting).revision
    due = _reminders_ahead(meeting, now)
    if not due:
        return 0
    planned = Delivery.objects.filter(
        subscription=OuterRef("pk"), meeting=meeting, revision=revision
    )
    # Those missing any reminder still ahead (one staff have just chosen, too).
    missing = Q()
    for kind in due:
        missing |= ~Exists(planned.filter(kind=kind))
    subscriptions = confirmed_for(meeting).filter(missing)
    return _bulk_plan(meeting.pk, subscriptions, due, revision, _sms_due(meeting, due, now))


def plan_for_subscription(subscription: Subscription, now: datetime | None = None) -> int:
    """Plan the reminders still ahead for one newly confirmed subscription."""
    now = current_time(now)
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
            revision = meeting_state(meeting).revision
            total += _bulk_plan(meeting.pk, row, due, revision, _sms_due(meeting, due, now))
    return total


def _reminders_ahead(meeting: Meeting, now: datetime) -> dict[str, datetime]:
    """Reminder kind -> due time, for those not yet past (a late subscriber gets the rest)."""
    due = {kind: meeting.starts_at - offset for kind, offset in offsets(meeting).items()}
    return {kind: at for kind, at in due.items() if at > now}


def reminders_ahead(
    meeting: Meeting, starts_at: datetime | None = None, now: datetime | None = None
) -> int:
    """How many reminders a subscriber still gets before the meeting (at `starts_at`, if it
    moves there): the offsets staff chose whose time has not passed. At most: a text with no
    allowed hour left before the start is not sent (quiet_hours.allowed_send_time)."""
    now = current_time(now)
    start = starts_at or meeting.starts_at
    return sum(1 for offset in offsets(meeting).values() if start - offset > now)


@dataclass(frozen=True)
class ReminderPlan:
    """One reminder of a meeting as it will go: its kind, when the email goes (its due time)
    and when and why the text goes (quiet hours)."""

    kind: str
    email_at: datetime
    sms: quiet_hours.ReminderTiming


def reminder_plans(
    meeting: Meeting, starts_at: datetime | None = None, now: datetime | None = None
) -> list[ReminderPlan]:
    """The reminders still ahead of `meeting` (at `starts_at`, if it moves there), earliest
    first, with the times the planner will give them (_reminders_ahead, _sms_due)."""
    now = current_time(now)
    start = starts_at or meeting.starts_at
    due = {kind: start - offset for kind, offset in offsets(meeting).items()}
    return [
        ReminderPlan(kind, at, quiet_hours.reminder_timing(at, meeting_start=start, now=now))
        for kind, at in due.items()
        if at > now
    ]


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
    reminders; a meeting published again after being hidden gets them anew; a changed
    venue address is a move. Notices due now are dispatched after commit.
    Safe to call any number of times; returns how many notices were planned."""
    now = current_time(now)
    meeting = Meeting.objects.select_related("venue").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    state = MeetingState.objects.select_for_update().filter(meeting=meeting).first()
    if state is None:
        meeting_state(meeting)
        plan_meeting(meeting, now)
        return 0
    was_public, old_start = state.published, state.starts_at
    moved = (state.starts_at, state.venue_id, state.address) != (
        meeting.starts_at,
        meeting.venue_id,
        meeting.venue.street_address,
    )
    cancelled = meeting.is_cancelled and state.status != MeetingStatus.CANCELLED
    restored = not meeting.is_cancelled and state.status == MeetingStatus.CANCELLED
    # Published again after being hidden: its reminders were voided, so plan them anew under
    # a new revision (the voided rows keep the old one's unique keys).
    republished = meeting.published and not was_public
    if moved or restored or republished:
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
        queue_on_commit("dispatch_due")
    return notices


# --- After commit, in the worker ----------------------------------------------------------

# Each MeetingState field that mirrors the meeting (see _snapshot), and where the meeting
# keeps it: a meeting whose state differs in any of them has not been planned since it changed.
MIRRORED = {
    "starts_at": "starts_at",
    "venue_id": "venue_id",
    "address": "venue__street_address",
    "status": "status",
    "published": "published",
}


def queue_meeting_changed(meeting_id: int) -> None:
    """A staff change: plan it in the worker once the change commits (no query here, so a
    save costs the same with 10 or 100,000 subscribers). If the task never runs (broker down,
    worker lost), reconcile() catches the meeting on the dispatcher's next pass; a broker
    error is logged, never shown to staff, whose change is already saved."""
    from .. import tasks

    transaction.on_commit(lambda: tasks.meeting_changed.delay(meeting_id), robust=True)


def stale_meetings(now: datetime | None = None) -> QuerySet[Meeting]:
    """Meetings reminders have not caught up with: never planned, or changed since (a lost
    task, a task still queued, a queryset.update() that skipped the signals). Meetings over
    both before and after the change are left alone: there is nobody left to tell."""
    now = current_time(now)
    same = MeetingState.objects.filter(
        meeting=OuterRef("pk"), **{field: OuterRef(where) for field, where in MIRRORED.items()}
    )
    return Meeting.objects.filter(~Exists(same)).filter(
        Q(ends_at__gt=now) | Q(reminder_state__starts_at__gt=now)
    )


def reconcile(now: datetime | None = None) -> int:
    """Run meeting_changed() for every stale meeting, each in its own transaction, skipping
    one a worker is planning right now (it holds the state's row lock). Part of every
    dispatcher pass, so a lost planning task costs at most a minute. A meeting that fails is
    logged and left for the next pass. Returns how many were planned."""
    caught = 0
    for meeting_id in stale_meetings(now).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if _being_planned(meeting_id):
                    continue
                meeting_changed(meeting_id, now)
        except Exception:  # one meeting that cannot be planned must not hold up the others
            logger.exception("Could not plan meeting %s; tried again next pass", meeting_id)
            continue
        caught += 1
    if caught:
        logger.info("Planned %s changed meetings in the dispatcher pass", caught)
    return caught


def _being_planned(meeting_id: int) -> bool:
    """Whether another transaction holds the meeting's state row (PostgreSQL; SQLite has
    one writer at a time anyway). Otherwise the lock is now ours until the caller commits."""
    if not connection.features.has_select_for_update_skip_locked:
        return False
    state = MeetingState.objects.filter(meeting_id=meeting_id)
    free = state.select_for_update(skip_locked=True).values_list("pk", flat=True)
    return not list(free) and state.exists()


def meetings_at_venue_to_recheck(venue_id: int, now: datetime | None = None) -> list[int]:
    """Meetings at a venue, not yet started, whose last-known address differs from it."""
    now = current_time(now)
    return list(
        MeetingState.objects.filter(meeting__venue_id=venue_id, meeting__starts_at__gt=now)
        .exclude(address=F("meeting__venue__street_address"))
        .values_list("meeting_id", flat=True)
    )


def _void_obsolete(meeting: Meeting, revision: int) -> None:
    """Pending reminders of an older revision, or of a meeting now hidden or cancelled."""
    pending = Delivery.objects.filter(
        meeting=meeting, kind__in=[*REMINDER_KINDS, Kind.CHANGED, Kind.BACK_ON]
    )
    if _plannable(meeting):
        skip_pending(pending.filter(revision__lt=revision), SkipReason.CHANGED)
        unchosen = set(REMINDER_KINDS) - set(meeting.chosen_reminders)
        skip_pending(pending.filter(kind__in=unchosen), SkipReason.NOT_CHOSEN)
    else:
        skip_pending(
            pending, SkipReason.CANCELLED if meeting.is_cancelled else SkipReason.UNPUBLISHED
        )


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
    planned = _plan_notices(meeting, Kind.BACK_ON, revision, now, back_on_audience(meeting))
    skip_pending(
        Delivery.objects.filter(meeting=meeting, kind=Kind.CANCELLED),
        SkipReason.NO_LONGER_CANCELLED,
    )
    return planned


def back_on_audience(meeting: Meeting) -> QuerySet[Subscription]:
    """Who hears that a cancellation was undone: those who were told of it, i.e. whose
    notice was sent or is being sent (a notice still waiting, e.g. held for quiet hours, is
    dropped instead: nobody hears "not cancelled after all" of a cancellation they never
    heard of). Only the cancellation just undone counts, not one undone before."""
    notices = Delivery.objects.filter(meeting=meeting, kind=Kind.CANCELLED)
    earlier = Delivery.objects.filter(meeting=meeting, kind=Kind.BACK_ON)
    since = earlier.aggregate(last=Max("revision"))["last"] or 0
    told = notices.filter(subscription=OuterRef("pk"), revision__gte=since).filter(
        Q(status=DeliveryStatus.SENT) | Q(attempt_started_at__isnull=False)
    )
    return confirmed_for(meeting).filter(Exists(told))


def _sms_due(meeting: Meeting, due: dict[str, datetime], now: datetime) -> dict[str, datetime]:
    """Texts keep quiet hours (reminders earlier, notices at the next allowed minute)."""
    return quiet_hours.sms_times(due, meeting_start=meeting.starts_at, now=now)


# --- Staff --------------------------------------------------------------------------------


def subscriber_counts(meeting_ids: Iterable[int]) -> dict[int, dict]:
    """Confirmed subscribers per meeting, counts only: {id: {"total": n, "sms": {code: n,
    …}, "email": {...}}}; "every upcoming meeting" subscribers count for each meeting
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


# --- Staff: what a change will do, and what became of the messages (counts only) ----------


class NoNotice(StrEnum):
    """Why a change sends no notice at all, whatever the hour."""

    NOT_PUBLISHED = "not_published"  # hidden from the site: nobody is told
    CANCELLED = "cancelled"  # a cancelled meeting moved: it stays cancelled, no change notice


@dataclass(frozen=True)
class NoticePlan:
    """One channel's notice for a change staff are about to confirm: how many subscribers,
    and when it goes (`at`, None when it cannot) and why (a quiet_hours.Timing or NoNotice)."""

    channel: str
    subscribers: int
    at: datetime | None
    why: str


def notice_outlook(
    meeting: Meeting, kind: str, *, starts_at: datetime | None = None, now: datetime | None = None
) -> dict[str, NoticePlan]:
    """{channel: NoticePlan} for a cancellation, change (to `starts_at`) or back-on notice of
    `meeting` confirmed now: the rules meeting_changed() and the sender apply, read only."""
    now = current_time(now)
    start = starts_at or meeting.starts_at
    audience = back_on_audience(meeting) if kind == Kind.BACK_ON else confirmed_for(meeting)
    counts = dict(audience.values_list("channel").annotate(n=Count("pk")).order_by())
    if not meeting.published:
        timing = dict.fromkeys(Channel.values, (None, NoNotice.NOT_PUBLISHED))
    elif kind == Kind.CHANGED and meeting.is_cancelled:
        timing = dict.fromkeys(Channel.values, (None, NoNotice.CANCELLED))
    else:
        sms = quiet_hours.notice_timing(now, meeting_start=start)
        email = (
            quiet_hours.NoticeTiming(now, quiet_hours.Timing.NOW)
            if now < start
            else quiet_hours.NoticeTiming(None, quiet_hours.Timing.TOO_LATE)
        )
        timing = {Channel.SMS: (sms.at, sms.why), Channel.EMAIL: (email.at, email.why)}
    return {
        channel: NoticePlan(channel, counts.get(channel, 0), *timing[channel])
        for channel in Channel.values
    }


class Bucket(StrEnum):
    """Where a message stands, for staff: one bucket per delivery."""

    QUEUED = "queued"  # pending or being sent, due now or later
    HELD = "held"  # a text waiting for the SMS window
    CHECKING = "checking"  # an attempt's outcome is being checked with the provider
    SENT = DeliveryStatus.SENT
    SKIPPED = DeliveryStatus.SKIPPED
    FAILED = DeliveryStatus.FAILED


@dataclass
class DeliverySummary:
    """One meeting's messages by bucket; skipped and failed ones by reason (the stored code
    or provider error, never a contact); the earliest time a held text goes."""

    counts: dict[str, int] = dataclass_field(default_factory=dict)
    reasons: dict[str, dict[str, int]] = dataclass_field(default_factory=dict)
    held_until: datetime | None = None

    def count(self, bucket: str) -> int:
        return self.counts.get(bucket, 0)


def delivery_summaries(
    meeting_ids: Iterable[int], now: datetime | None = None
) -> dict[int, DeliverySummary]:
    """{meeting id: DeliverySummary}, one grouped query for all the meetings."""
    now = current_time(now)
    ids = list(meeting_ids)
    active = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    # A text waits for the window either after a send found it outside (held), or from the
    # start: a notice planned for the window's opening (due and next try both still ahead).
    held = Q(status=DeliveryStatus.PENDING) & (
        Q(held=True)
        | Q(
            kind__in=NOTICE_KINDS,
            channel=Channel.SMS,
            next_try_at=F("due_at"),
            next_try_at__gt=now,
        )
    )
    bucket = Case(
        When(active & Q(attempt_started_at__isnull=False), then=Value(Bucket.CHECKING)),
        When(held, then=Value(Bucket.HELD)),
        When(active, then=Value(Bucket.QUEUED)),
        default=F("status"),
    )
    ended = Q(status__in=[DeliveryStatus.SKIPPED, DeliveryStatus.FAILED])
    reason = Case(When(ended, then=F("last_error")), default=Value(""))
    rows = (
        Delivery.objects.filter(meeting_id__in=ids)
        .annotate(bucket=bucket, reason=reason)
        .values_list("meeting_id", "bucket", "reason")
        .annotate(n=Count("pk"), first=Min("next_try_at"))
        .order_by()
    )
    result = {pk: DeliverySummary() for pk in ids}
    for meeting_id, name, why, n, first in rows:
        summary = result[meeting_id]
        summary.counts[name] = summary.counts.get(name, 0) + n
        if name in (Bucket.SKIPPED, Bucket.FAILED):
            summary.reasons.setdefault(name, {})[why] = n
        if name == Bucket.HELD:
            summary.held_until = first
    return result
