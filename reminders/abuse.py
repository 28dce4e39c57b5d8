"""Brakes on the public forms: what a sign-up may cost, per address, per contact and overall.

What is counted is what costs money or annoys someone: confirmation texts and emails *sent*,
never form posts (a form with a mistake costs nothing and counts for nothing), and wrong codes.
Per address the limit fits a full church hall on one Wi-Fi; an SMS-pumping script that sends
codes to hundreds of numbers from one address is stopped long before the site-wide hourly
budget of confirmation texts, and that budget stops a script spread over many addresses.

Counters live in the "limits" cache (Redis, or the database while Redis is unreachable:
outreach/cache.py) under hashed keys, so every web process sees the same count and no address
or contact is stored. A limited request gets the same "too many tries" page whoever the
contact is, so the answer never tells whether a phone number or email is known.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

from outreach.cache import BREAKER
from outreach.security import client_ip

from .enums import Channel

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
BUDGET_KEY = "reminders:sms-budget:{hour}"
BUDGET_REACHED_KEY = "reminders:sms-budget-reached"


class Verdict(StrEnum):
    """Whether one more confirmation may be sent."""

    SEND = "send"
    TOO_MANY = "too_many"  # this address or this contact has had its share this hour
    BUDGET_SPENT = "budget_spent"  # the site-wide hourly budget of confirmation texts
    QUEUE_DOWN = "queue_down"  # Redis (the task queue) failed a moment ago


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _over(request: HttpRequest, group: str, key, rate: str, *, count: bool) -> bool:
    """Whether `group` is over `rate` ("60/h") for `key`; with `count`, count one more."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=count)
    if count:
        return bool(usage and usage["should_limit"])
    # A peek: would one more go over?
    return bool(usage and usage["count"] >= usage["limit"])


def _contact_key(digest: str):
    return lambda group, request: digest


def may_send_confirmation(request: HttpRequest, digest: str, channel: str) -> Verdict:
    """Whether a confirmation may go to `digest` for this visitor (counts nothing)."""
    if _over(
        request,
        "reminders-sends-contact",
        _contact_key(digest),
        settings.REMINDERS_SENDS_PER_CONTACT,
        count=False,
    ) or _over(
        request,
        "reminders-sends-address",
        _address,
        settings.REMINDERS_SENDS_PER_ADDRESS,
        count=False,
    ):
        return Verdict.TOO_MANY
    if (
        channel == Channel.SMS
        and sms_sent_this_hour() >= settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR
    ):
        return Verdict.BUDGET_SPENT
    if queue_down():
        return Verdict.QUEUE_DOWN
    return Verdict.SEND


def count_confirmation(request: HttpRequest, digest: str, channel: str) -> None:
    """Count a confirmation that was queued: for the contact, the address, and (a text) the
    site-wide hourly budget."""
    _over(
        request,
        "reminders-sends-contact",
        _contact_key(digest),
        settings.REMINDERS_SENDS_PER_CONTACT,
        count=True,
    )
    _over(
        request,
        "reminders-sends-address",
        _address,
        settings.REMINDERS_SENDS_PER_ADDRESS,
        count=True,
    )
    if channel == Channel.SMS:
        _count_sms_budget()


def queue_down() -> bool:
    """Redis failed a moment ago and it is also the task queue: nothing could be queued."""
    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    return bool(settings.REDIS_URL) and broker == settings.REDIS_URL and BREAKER.is_open()


# --- The site-wide hourly budget of confirmation texts ------------------------------------


def _budget_key(now: datetime | None = None) -> str:
    hour = timezone.localtime(now or timezone.now()).strftime("%Y%m%d%H")
    return BUDGET_KEY.format(hour=hour)


def sms_sent_this_hour() -> int:
    return int(caches["limits"].get(_budget_key()) or 0)


def _count_sms_budget() -> None:
    cache = caches["limits"]
    key = _budget_key()
    cache.add(key, 0, timeout=2 * 3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # Redis went away between the two calls: the database starts at one
        cache.set(key, sent := 1, timeout=2 * 3600)
    budget = settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR
    if sent == budget:
        # Counts only: which numbers asked is nobody's business, not even the log's.
        logger.warning("Hourly budget of confirmation texts reached (%d sent)", sent)
        cache.set(BUDGET_REACHED_KEY, timezone.now().isoformat(), timeout=24 * 3600)


def budget_reached_at() -> datetime | None:
    """When the hourly budget was last reached (within a day), for the staff warning."""
    try:
        value = caches["limits"].get(BUDGET_REACHED_KEY)
    except Exception:  # the admin front page must open even with both caches down
        logger.warning("Could not read the confirmation-text budget warning")
        return None
    return datetime.fromisoformat(value) if value else None


def budget_resets_at(now: datetime | None = None) -> datetime:
    """The start of the next clock hour (local time), when the budget starts again."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


# --- Codes typed on the code page ---------------------------------------------------------


def wrong_codes_limited(request: HttpRequest) -> bool:
    """Too many wrong codes from this address this hour (counts nothing)."""
    rate = settings.REMINDERS_WRONG_CODES_PER_ADDRESS
    return _over(request, "reminders-wrong-codes", _address, rate, count=False)


def count_wrong_code(request: HttpRequest) -> None:
    rate = settings.REMINDERS_WRONG_CODES_PER_ADDRESS
    _over(request, "reminders-wrong-codes", _address, rate, count=True)


def too_many(request: HttpRequest) -> HttpResponse:
    """The one answer to any limited request (429), the same whatever the contact."""
    return render(request, "reminders/too_many.html", status=429)
