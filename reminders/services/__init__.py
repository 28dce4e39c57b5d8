"""Everything reminders do that has side effects: subscribe, confirm, stop, plan, dispatch, send.

Views, tasks, signals and the admin call these; nothing here sends from a request: messages
are queued with transaction.on_commit and sent by a Celery task (or `send_due_reminders`).
Three layers, each importing only the ones before it: planning, subscriptions, sending.
"""

from ..notify import TransportError
from .planning import (
    confirmed_for,
    delivery_counts,
    meeting_changed,
    meetings_at_venue_to_recheck,
    offsets,
    plan_for_subscription,
    plan_meeting,
    queue_meeting_changed,
    reconcile,
    stale_meetings,
    subscriber_counts,
)
from .sending import Outcome, claim_due, delivery_message, dispatch, send_delivery, skip_reason
from .subscriptions import (
    CodeResult,
    confirm_code,
    confirm_token,
    delete_unconfirmed,
    is_suppressed,
    pending_for_token,
    request_subscription,
    resend_confirmation,
    resume_contact,
    send_confirmation,
    send_welcome,
    stop_contact,
    subscription_for_unsubscribe_token,
    unsubscribe_token,
)

__all__ = [
    "CodeResult",
    "Outcome",
    "TransportError",
    "claim_due",
    "confirm_code",
    "confirm_token",
    "confirmed_for",
    "delete_unconfirmed",
    "delivery_counts",
    "delivery_message",
    "dispatch",
    "is_suppressed",
    "meeting_changed",
    "meetings_at_venue_to_recheck",
    "offsets",
    "pending_for_token",
    "plan_for_subscription",
    "plan_meeting",
    "queue_meeting_changed",
    "reconcile",
    "request_subscription",
    "resend_confirmation",
    "resume_contact",
    "send_confirmation",
    "send_delivery",
    "send_welcome",
    "skip_reason",
    "stale_meetings",
    "stop_contact",
    "subscriber_counts",
    "subscription_for_unsubscribe_token",
    "unsubscribe_token",
]
