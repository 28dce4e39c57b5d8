"""Brakes on the public forms: rate limits per address and per contact, and a honeypot.

Counters live in the shared cache (Redis, or the database locally) under hashed keys, so every
web process sees the same count and no address or contact is stored. A limited request gets
the same "too many tries" page whoever the contact is, so the answer never tells whether a
phone number or email is known.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from outreach.security import client_ip

from .models import Subscription

HONEYPOT_FIELD = "website"


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _hit(request: HttpRequest, group: str, key, rate: str) -> bool:
    """Count this request in `group` and say whether it went over `rate` ("5/h")."""
    return is_ratelimited(
        request, group=group, key=key, rate=rate, method=is_ratelimited.ALL, increment=True
    )


def subscribe_limited_by_address(request: HttpRequest) -> bool:
    """Every "remind me" post from one address counts, valid or not."""
    return _hit(request, "reminders-ask-address", _address, settings.REMINDERS_SUBSCRIBE_RATE)


def messages_limited_for_contact(request: HttpRequest, digest: str) -> bool:
    """Every confirmation we would send to one contact counts, from whatever address, so the
    form cannot be used to flood someone's phone or inbox."""
    return _hit(
        request,
        "reminders-ask-contact",
        lambda group, req: digest,
        settings.REMINDERS_SUBSCRIBE_RATE,
    )


def confirm_limited(request: HttpRequest, subscription_id: int | None = None) -> bool:
    """Code and link confirmations: per address, and per contact when the request is known."""
    rate = settings.REMINDERS_CONFIRM_RATE
    limited = _hit(request, "reminders-confirm-address", _address, rate)
    digest = _digest_of(subscription_id)
    if digest:
        limited |= _hit(request, "reminders-confirm-contact", lambda group, req: digest, rate)
    return limited


def resend_limited(request: HttpRequest, subscription_id: int | None) -> bool:
    """A new code is one more text to that phone: it counts like asking again."""
    digest = _digest_of(subscription_id)
    by_address = subscribe_limited_by_address(request)
    return by_address or bool(digest and messages_limited_for_contact(request, digest))


def _digest_of(subscription_id: int | None) -> str:
    if not subscription_id:
        return ""
    found = Subscription.objects.filter(pk=subscription_id).values_list("contact_digest", flat=True)
    return found.first() or ""


def too_many(request: HttpRequest) -> HttpResponse:
    """The one answer to any limited request (429), the same whatever the contact."""
    return render(request, "reminders/too_many.html", status=429)
