"""Celery tasks: thin, named, ids only, safe to run twice. The logic is in services."""

from __future__ import annotations

import logging

from amqp.exceptions import ChannelError
from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import OperationalError

from outreach.celery import app

from . import heartbeat, services
from .notify import batch

logger = logging.getLogger(__name__)
NOT_FOUND = "404"  # AMQP's reply code for a queue that does not exist (kombu gives a string)


@shared_task(name="reminders.dispatch_due")
def dispatch_due() -> int:
    """Beat, every minute: claim what is due and queue the send tasks, then catch up on
    changed meetings whose planning task was lost (after, so no due message waits for that
    planning; notices it plans queue another pass as soon as they commit)."""
    claimed = services.dispatch()
    services.reconcile()
    heartbeat.record()
    return claimed


@shared_task(
    name="reminders.meeting_changed",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),  # a lock timeout or deadlock: temporary
    retry_backoff=2,
    max_retries=5,
)
def meeting_changed(meeting_id: int) -> int:
    """After a staff change commits: plan its notices and reminders (safe to run twice, or
    two at once: the meeting's state row is locked while planning). Given up, it is still
    caught by the next dispatcher pass (services.reconcile)."""
    return services.meeting_changed(meeting_id)


@shared_task(name="reminders.send_delivery", acks_late=True, reject_on_worker_lost=True)
def send_delivery(delivery_id: int) -> str:
    """Send one claimed delivery; retries are planned in the database by the service."""
    return services.send_delivery(delivery_id)


# A confirmation or welcome the provider could not take now is tried again after about 30 s,
# 1, 2 and 4 minutes (with jitter); one it refuses for good (an invalid number) is not.
MESSAGE_RETRIES = 4
MESSAGE_BACKOFF_SECONDS = 30


@shared_task(bind=True, name="reminders.send_confirmation", max_retries=MESSAGE_RETRIES)
def send_confirmation(self, subscription_id: int) -> None:
    """Every try sends the same code or link (services.issue_confirmation)."""
    try:
        services.send_confirmation(subscription_id)
    except services.TransportError as error:
        _retry_unless_permanent(self, error)


@shared_task(bind=True, name="reminders.send_welcome", max_retries=MESSAGE_RETRIES)
def send_welcome(self, subscription_id: int) -> None:
    try:
        services.send_welcome(subscription_id)
    except services.TransportError as error:
        _retry_unless_permanent(self, error)


@shared_task(bind=True, name="reminders.send_farewell", max_retries=MESSAGE_RETRIES)
def send_farewell(self, subscription_id: int) -> None:
    try:
        services.send_farewell(subscription_id)
    except services.TransportError as error:
        _retry_unless_permanent(self, error)


@shared_task(name="reminders.end_all_meetings_terms")
def end_all_meetings_terms() -> int:
    """Beat, daily at noon: "every meeting" subscriptions past their term end, with a last
    message."""
    return services.end_all_meetings_terms()


def _retry_unless_permanent(task, error: services.TransportError) -> None:
    if error.permanent:
        # The error names no recipient (TransportError's contract).
        logger.warning("%s for %s not sent, not retried: %s", task.name, task.request.args, error)
        return
    countdown = get_exponential_backoff_interval(
        MESSAGE_BACKOFF_SECONDS, task.request.retries, maximum=600, full_jitter=True
    )
    raise task.retry(exc=error, countdown=countdown)


@shared_task(name="reminders.delete_unconfirmed")
def delete_unconfirmed() -> int:
    """Beat, hourly: requests never confirmed within 24 hours are deleted."""
    return services.delete_unconfirmed()


@shared_task(name="reminders.purge_expired")
def purge_expired() -> int:
    """Beat, nightly: delete subscriptions past retention (see reminders/retention.py)."""
    from .retention import purge_expired as purge

    return purge().expired


@shared_task(name="reminders.send_deliveries", acks_late=True, reject_on_worker_lost=True)
def send_deliveries(delivery_ids: list[int]) -> None:
    """Send a few claimed deliveries, each on its own (own transaction, own status check), so
    a batch run twice or cut short by a lost worker still sends each one once."""
    with batch():  # one SMTP connection and one Twilio session for the whole task
        for pk in delivery_ids:
            services.send_delivery(pk)


def sends_waiting() -> bool:
    """Whether send tasks are waiting in the broker's queue (eager mode: never). Unknown
    (broker unreachable) counts as waiting: recovering then could queue work twice."""
    if app.conf.task_always_eager:
        return False
    try:
        with app.connection_for_write() as conn:
            queue = app.conf.task_default_queue
            return conn.default_channel.queue_declare(queue=queue, passive=True).message_count > 0
    except ChannelError as error:
        if str(error.reply_code) == NOT_FOUND:  # Redis drops an empty queue's key: nothing waits
            return False
        logger.warning("Could not read the send queue's length")
        return True
    except Exception:  # noqa: BLE001 (any broker trouble means "cannot tell")
        logger.warning("Could not read the send queue's length")
        return True


def enqueue_sends(delivery_ids: list[int]) -> None:
    """Publish the ids in tasks of REMINDERS_TASK_BATCH over one broker connection.

    One task per delivery costs a broker round trip each (about 450 a second measured here,
    so minutes for 100,000); small batches keep a pass over a big meeting within seconds.
    """
    size = max(1, settings.REMINDERS_TASK_BATCH)
    with app.producer_or_acquire() as producer:
        for start in range(0, len(delivery_ids), size):
            chunk = delivery_ids[start : start + size]
            if len(chunk) == 1:
                send_delivery.apply_async((chunk[0],), producer=producer)
            else:
                send_deliveries.apply_async((chunk,), producer=producer)
    logger.info("Queued %s deliveries", len(delivery_ids))
