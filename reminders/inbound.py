"""Each inbound text is acted on at most once, however often its signed request arrives."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import InboundMessage


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def first_time(sid: str) -> bool:
    """Record `sid` and say whether it is new. Call inside the transaction that acts on the
    message: if acting fails, the record rolls back with it and a retry is acted on."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.INBOUND_SMS_REMEMBER_DAYS)
    InboundMessage.objects.filter(received_at__lt=cutoff).delete()
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not spoil the outer block
            InboundMessage.objects.create(sid_digest=_digest(sid), received_at=now)
    except IntegrityError:
        return False
    return True
