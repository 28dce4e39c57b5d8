"""Subscribing, confirming and stopping: everything a resident (or a STOP) starts."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from meetings.models import Meeting

from .. import crypto, messages
from ..enums import Channel, SkipReason, SubscriptionStatus
from ..models import Delivery, Subscription, Suppression
from ..notify import Message, transport_for
from .planning import current_time, plan_for_subscription, queue_on_commit, skip_pending

CODE_LIFETIME = timedelta(minutes=15)
CODE_MAX_TRIES = 5
UNCONFIRMED_LIFETIME = timedelta(hours=24)
UNSUBSCRIBE_SALT = "reminders.unsubscribe"


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
    now = current_time(now)
    subscription = _existing(contact, meeting)
    if subscription is None:
        subscription = Subscription(channel=channel, meeting=meeting, language=language)
        subscription.set_contact(contact)
    if subscription.status != SubscriptionStatus.CONFIRMED:
        _renew(subscription, language, consent_page, now)
    subscription.save()
    issue_confirmation(subscription, now)
    queue_on_commit("send_confirmation", subscription.pk)
    return subscription


@transaction.atomic
def join_by_text(
    *,
    contact: str,
    language: str,
    meeting: Meeting | None,
    consent_page: str,
    consent_version: str,
    now: datetime | None = None,
) -> Subscription:
    """A subscription asked for by text (reminders/join.py): confirmed at once, since the
    request came from the number itself, and its reminders planned like any other. The
    reply to the text is the welcome, so none is queued. A contact already covered (this
    meeting, or every meeting, confirmed) is left as it is."""
    now = current_time(now)
    subscription = _existing(contact, meeting)
    if subscription is not None and subscription.status == SubscriptionStatus.CONFIRMED:
        return subscription
    if subscription is None:
        subscription = Subscription(channel=Channel.SMS, meeting=meeting, language=language)
        subscription.set_contact(contact)
    _renew(subscription, language, consent_page, now)
    subscription.consent_version = consent_version[:40]
    subscription.welcomed = True  # the reply to the answer is the welcome text
    _activate(subscription, now)
    return subscription


def _existing(contact: str, meeting: Meeting | None) -> Subscription | None:
    """The contact's subscription for this meeting (or for every meeting), locked: asked for
    again, it is reused, never doubled. Someone already reminded of every meeting, confirmed,
    is covered for this one too."""
    existing = Subscription.objects.select_for_update().filter(
        contact_digest=crypto.digest(contact)
    )
    subscription = existing.filter(meeting=meeting).first()
    if subscription is None and meeting is not None:
        subscription = existing.filter(
            meeting__isnull=True, status=SubscriptionStatus.CONFIRMED
        ).first()
    return subscription


def _renew(subscription: Subscription, language: str, consent_page: str, now: datetime) -> None:
    """A new request (or a stopped or still pending one asked for again) starts afresh: its
    24 hours before the clean-up, its consent and its secrets all date from now. A stopped
    one leaves its old messages behind (kept for the counts, no longer its own), so its
    reminders can be planned again, and is welcomed again once confirmed."""
    if subscription.pk and subscription.status == SubscriptionStatus.STOPPED:
        Delivery.objects.filter(subscription=subscription).update(subscription=None)
        subscription.confirmed_at = None
        subscription.welcomed = False
    subscription.status = SubscriptionStatus.PENDING
    subscription.language = language
    subscription.consent_at = subscription.created_at = now
    subscription.consent_page = consent_page[:300]
    subscription.token_hash = subscription.code_hash = ""
    subscription.code_expires_at = None
    subscription.code_attempts = 0


def issue_confirmation(subscription: Subscription, now: datetime) -> None:
    """A new code (SMS, 15 minutes) or link (email, until the clean-up) for a saved
    subscription; the previous one stops working. Only its hash and expiry are kept: the
    secret is derived again from them when sent (confirmation_secret), so every try of the
    send, a retry or a redelivered task, repeats the same one and never replaces it."""
    sms = subscription.channel == Channel.SMS
    subscription.code_expires_at = now + (CODE_LIFETIME if sms else UNCONFIRMED_LIFETIME)
    subscription.code_attempts = 0
    secret = confirmation_secret(subscription)
    if sms:
        subscription.code_hash, subscription.token_hash = (
            crypto.code_hash(subscription.pk, secret),
            "",
        )
    else:
        subscription.token_hash, subscription.code_hash = crypto.token_hash(secret), ""
    subscription.save(update_fields=["code_expires_at", "code_attempts", "code_hash", "token_hash"])


def confirmation_secret(subscription: Subscription) -> str:
    """The six-digit code or the link's token of the confirmation issued last."""
    issued = subscription.code_expires_at.astimezone(UTC).isoformat()
    secret = crypto.confirmation_secret(subscription.pk, issued)
    if subscription.channel == Channel.SMS:
        return f"{int(secret, 16) % 10**6:06d}"
    return secret


def send_confirmation(subscription_id: int, now: datetime | None = None) -> None:
    """Send the code or link issued last (issue_confirmation): a retry sends the same one.
    Nothing to a stopped subscription or a number that texted STOP."""
    now = current_time(now)
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
        return
    if subscription.channel == Channel.SMS and is_suppressed(subscription.contact_digest):
        return  # a number that texted STOP gets nothing until it texts START
    if subscription.code_expires_at is None or subscription.code_expires_at <= now:
        with transaction.atomic():  # expired before it could be sent: a fresh one
            subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
            issue_confirmation(subscription, now)
    secret = confirmation_secret(subscription)
    # The link is built inside the resident's language (its path is translated).
    build = lambda: _confirm_context(subscription, secret)  # noqa: E731
    _send_now(subscription, "confirm", build, private=(secret,))


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


def _send_now(subscription: Subscription, kind: str, build, private: tuple[str, ...] = ()) -> str:
    """Render and send a message that is not a Delivery (confirmation, welcome); `private`:
    its secrets, which no transport may print or log."""
    sms = subscription.channel == Channel.SMS
    rendered = messages.render(kind, subscription.language, build, sms_only=sms)
    message = Message(
        to=subscription.contact,
        sms=rendered.sms,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        tag=f"{kind}-s{subscription.pk}",
        private=private,
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
    now = current_time(now)
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


def subscription_for_email_token(token: str) -> Subscription | None:
    """The subscription an email confirmation link belongs to, whatever its status: a link
    opened again after confirming can then say "already confirmed"."""
    if not token:
        return None
    return Subscription.objects.filter(token_hash=crypto.token_hash(token)).first()


def pending_for_token(token: str) -> Subscription | None:
    """The subscription an email confirmation link belongs to, if it still waits for it."""
    found = subscription_for_email_token(token)
    return found if found and found.status == SubscriptionStatus.PENDING else None


@transaction.atomic
def confirm_token(token: str, now: datetime | None = None) -> Subscription | None:
    """Confirm the subscription of an email link (once); None when the link is not valid."""
    found = pending_for_token(token)
    if found is None:
        return None
    subscription = Subscription.objects.select_for_update().get(pk=found.pk)
    _activate(subscription, current_time(now))
    return subscription


def _activate(subscription: Subscription, now: datetime) -> None:
    """Mark confirmed, forget the secrets, plan what is ahead, welcome a new SMS subscriber.
    Confirming "every upcoming meeting" again starts its term again (all_meetings_term)."""
    if subscription.status == SubscriptionStatus.CONFIRMED and subscription.meeting_id is None:
        subscription.consent_at = now
    subscription.status = SubscriptionStatus.CONFIRMED
    subscription.confirmed_at = subscription.confirmed_at or now
    # The email link's hash stays (it reveals nothing): opened again, it says "already
    # confirmed" rather than "no longer works". A new request replaces it.
    subscription.code_hash = ""
    subscription.code_expires_at = None
    subscription.code_attempts = 0
    subscription.save()
    if subscription.meeting_id is None:
        _merge_into_all_meetings(subscription)
    plan_for_subscription(subscription, now)
    if subscription.channel == Channel.SMS and not subscription.welcomed:
        queue_on_commit("send_welcome", subscription.pk)


def _merge_into_all_meetings(subscription: Subscription) -> None:
    """One contact, one set of messages: meeting-only requests fold into "all meetings"."""
    others = Subscription.objects.filter(contact_digest=subscription.contact_digest).exclude(
        pk=subscription.pk
    )
    skip_pending(Delivery.objects.filter(subscription__in=others), SkipReason.MERGED)
    others.delete()


# --- Stopping -----------------------------------------------------------------------------


def unsubscribe_token(subscription: Subscription) -> str:
    """A token for the one-click unsubscribe link (names no contact)."""
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_pk(token: str) -> int | None:
    """The subscription id a genuine unsubscribe token names (the row may be gone since)."""
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def subscription_for_unsubscribe_token(token: str) -> Subscription | None:
    pk = unsubscribe_token_pk(token)
    return None if pk is None else Subscription.objects.filter(pk=pk).first()


@transaction.atomic
def stop_contact(digest: str, *, suppress: bool = False, reason: str = "unsubscribed") -> int:
    """Stop every subscription of a contact at once; with `suppress`, block the number until
    it texts START (STOP keywords, carrier opt-out). Returns how many were stopped."""
    subscriptions = Subscription.objects.filter(contact_digest=digest).exclude(
        status=SubscriptionStatus.STOPPED
    )
    skip_pending(Delivery.objects.filter(subscription__in=subscriptions), SkipReason.STOPPED)
    count = subscriptions.update(status=SubscriptionStatus.STOPPED)
    if suppress:
        Suppression.objects.get_or_create(contact_digest=digest, defaults={"reason": reason})
    return count


def all_meetings_term() -> timedelta:
    """How long "every upcoming meeting" reminders last from sign-up (settings)."""
    return timedelta(days=settings.REMINDERS_ALL_MEETINGS_DAYS)


def end_all_meetings_terms(now: datetime | None = None) -> int:
    """Stop every "every upcoming meeting" subscription whose term (from the consent given at
    sign-up) is over, skip what it still had planned, and queue its last message: they have
    ended, and how to sign up again. Returns how many ended."""
    now = current_time(now)
    with transaction.atomic():
        ended = list(
            Subscription.objects.select_for_update()
            .filter(
                meeting__isnull=True,
                status=SubscriptionStatus.CONFIRMED,
                consent_at__lte=now - all_meetings_term(),
            )
            .values_list("pk", flat=True)
        )
        skip_pending(Delivery.objects.filter(subscription_id__in=ended), SkipReason.TERM_ENDED)
        Subscription.objects.filter(pk__in=ended).update(status=SubscriptionStatus.STOPPED)
        for pk in ended:
            queue_on_commit("send_farewell", pk)
    return len(ended)


def send_farewell(subscription_id: int) -> None:
    """The last message of an ended "every meeting" subscription (not if it was renewed
    meanwhile, or the number texted STOP)."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.status != SubscriptionStatus.STOPPED:
        return
    if subscription.channel == Channel.SMS and is_suppressed(subscription.contact_digest):
        return

    def build() -> dict:
        return {
            "days": settings.REMINDERS_ALL_MEETINGS_DAYS,
            "signup_url": settings.SITE_URL + reverse("meetings:upcoming"),
        }

    _send_now(subscription, "ending", build)


def resume_contact(digest: str) -> None:
    """START: lift the suppression (subscriptions come back only through a new request)."""
    Suppression.objects.filter(contact_digest=digest).delete()


def is_suppressed(digest: str) -> bool:
    return Suppression.objects.filter(contact_digest=digest).exists()


def delete_unconfirmed(now: datetime | None = None) -> int:
    """Delete requests never confirmed within 24 hours, contact and all. Returns the count."""
    cutoff = current_time(now) - UNCONFIRMED_LIFETIME
    deleted, _detail = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted


def withdraw_request(subscription_id: int) -> None:
    """The "wrong number?" button: delete a request still waiting for its code, contact and
    all (never a confirmed subscription)."""
    Subscription.objects.filter(
        pk=subscription_id, status=SubscriptionStatus.PENDING, confirmed_at__isnull=True
    ).delete()


@transaction.atomic
def resend_confirmation(subscription_id: int, now: datetime | None = None) -> None:
    """Issue a new code or link for a pending request (the old one stops working) and queue
    it."""
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
        return
    issue_confirmation(subscription, current_time(now))
    queue_on_commit("send_confirmation", subscription_id)
