"""Celery tasks: thin, named, ids only, safe to run twice. The logic is in services."""

from __future__ import annotations

import logging

from celery import shared_task

from outreach.celery import app

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="reminders.dispatch_due")
def dispatch_due() -> int:
    """Beat, every minute: claim what is due and queue one send task per delivery."""
    return services.dispatch()


@shared_task(name="reminders.send_delivery", acks_late=True, reject_on_worker_lost=True)
def send_delivery(delivery_id: int) -> str:
    """Send one claimed delivery; retries are planned in the database by the service."""
    return services.send_delivery(delivery_id)


@shared_task(
    name="reminders.send_confirmation",
    autoretry_for=(services.TransportError,),
    retry_backoff=30,
    max_retries=4,
)
def send_confirmation(subscription_id: int) -> None:
    services.send_confirmation(subscription_id)


@shared_task(
    name="reminders.send_welcome",
    autoretry_for=(services.TransportError,),
    retry_backoff=30,
    max_retries=4,
)
def send_welcome(subscription_id: int) -> None:
    services.send_welcome(subscription_id)


@shared_task(name="reminders.delete_unconfirmed")
def delete_unconfirmed() -> int:
    """Beat, hourly: requests never confirmed within 24 hours are deleted."""
    return services.delete_unconfirmed()


@shared_task(name="reminders.purge_expired")
def purge_expired() -> int:
    """Beat, nightly: delete subscriptions past retention (see reminders/retention.py)."""
    from .retention import purge_expired as purge

    return purge().expired


def enqueue_sends(delivery_ids: list[int]) -> None:
    """Publish one send task per id over a single broker connection."""
    with app.producer_or_acquire() as producer:
        for pk in delivery_ids:
            send_delivery.apply_async((pk,), producer=producer)
    logger.info("Queued %s deliveries", len(delivery_ids))
