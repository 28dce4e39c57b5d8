"""Is anything sending? Beat queues the dispatcher every minute and a worker runs it; if either
is stopped, reminders wait in the database and nobody is told. Two signs, read by staff and
operators: messages still waiting well after they were due (the admin's warning), and when the
dispatcher last ran (/healthz).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from .enums import DeliveryStatus
from .models import Delivery

logger = logging.getLogger(__name__)

KEY = "reminders:dispatcher:last-run"
# Beat runs the dispatcher every minute: ten minutes without a run is not a slow minute.
LATE_AFTER = timedelta(minutes=10)


def record(now: datetime | None = None) -> None:
    """The dispatcher ran (called at the end of each pass). Never fails the pass."""
    try:
        cache.set(KEY, (now or timezone.now()).timestamp(), timeout=None)
    except Exception as exc:  # a cache outage must not stop the sending itself
        logger.warning("could not record the dispatcher's run: %s", type(exc).__name__)


def last_run() -> datetime | None:
    stamp = cache.get(KEY)
    return None if stamp is None else datetime.fromtimestamp(stamp, tz=UTC)


MISSING_KEY = "reminders:dispatcher:missing-since"


def dispatcher_state(now: datetime | None = None) -> dict:
    """{"state": "ok" | "late" | "unknown", "last_run_seconds_ago": int | None}.

    No run on record is "unknown" only for LATE_AFTER from when that was first seen: a fresh
    deploy whose beat never starts, or a Redis that restarted empty while beat was dead,
    must still turn "late" (the operator's audit saw "unknown" forever)."""
    now = now or timezone.now()
    ran = last_run()
    if ran is None:
        cache.add(MISSING_KEY, now.timestamp(), timeout=None)
        since = datetime.fromtimestamp(cache.get(MISSING_KEY, now.timestamp()), tz=UTC)
        return {
            "state": "late" if now - since > LATE_AFTER else "unknown",
            "last_run_seconds_ago": None,
        }
    age = now - ran
    return {
        "state": "late" if age > LATE_AFTER else "ok",
        "last_run_seconds_ago": max(0, int(age.total_seconds())),
    }


@dataclass(frozen=True)
class Stalled:
    late: int  # messages due more than LATE_AFTER ago and still waiting
    oldest_due: datetime
    last_run: datetime | None


def stalled(now: datetime | None = None) -> Stalled | None:
    """Messages still waiting LATE_AFTER after they were due: nothing is sending them."""
    cutoff = (now or timezone.now()) - LATE_AFTER
    # Waiting to be picked up, or picked up by a worker that never finished.
    waiting = Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, next_try_at__lt=cutoff)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff)
    )
    oldest = waiting.order_by("next_try_at").values_list("next_try_at", flat=True).first()
    if oldest is None:
        return None
    try:
        ran = last_run()
    except Exception:  # the warning matters more than the time of the last run
        ran = None
    return Stalled(late=waiting.count(), oldest_due=oldest, last_run=ran)
