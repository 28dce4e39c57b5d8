"""Twilio's calls to us: inbound texts (STOP, START, HELP...) and delivery status reports.

Both are signed with our auth token (X-Twilio-Signature over the exact public address and
the posted fields); a missing or wrong signature gets 403 and changes nothing. Replies are
TwiML. Nothing here logs, stores or echoes the phone number: it is turned into its keyed
digest at once.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from outreach import department, languages

from . import contacts, crypto, inbound, join, optout, services
from .enums import DeliveryStatus
from .keywords import YES_WORDS, Action, classify
from .models import Delivery
from .notify.twilio import UNSUBSCRIBED

logger = logging.getLogger(__name__)

HELP_REPLY_EVERY = 24 * 60 * 60  # seconds: the reply to "anything else", once a day a number
FAILED_STATUSES = {"failed", "undelivered"}


def twilio_signed(view):
    """Refuse (403) any request whose X-Twilio-Signature does not match our auth token."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        signature = request.headers.get("X-Twilio-Signature", "")
        token = settings.TWILIO_AUTH_TOKEN
        # Twilio signs the address it was given, i.e. our public one, not the proxy's.
        url = settings.SITE_URL + request.get_full_path()
        if not (
            token and signature and RequestValidator(token).validate(url, request.POST, signature)
        ):
            logger.warning("Twilio webhook refused: bad or missing signature")
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)

    return wrapper


def twiml(*texts: str) -> HttpResponse:
    response = MessagingResponse()
    for text in texts:
        if text:
            response.message(text)
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
@twilio_signed
def inbound_sms(request: HttpRequest) -> HttpResponse:
    """A text to our number: act on a keyword and answer in TwiML (or not at all). Each
    MessageSid is acted on once: a replayed request (say, a START captured before the
    resident's STOP) changes nothing and gets no answer."""
    sid = request.POST.get("MessageSid", "")
    if not sid:
        logger.warning("Inbound SMS without a MessageSid: ignored")
        return twiml()
    with transaction.atomic():
        if not inbound.first_time(sid):
            logger.info("Inbound SMS already handled: ignored")
            return twiml()
        return _act_on_text(request)


def _act_on_text(request: HttpRequest) -> HttpResponse:
    """The rules, in order: carrier keywords always win (STOP, then START, HELP); YES/SÍ from
    a number not stopped that answers a reminder is "I plan to go", otherwise START; a join
    keyword offers the next meetings (never to a stopped number: START first); 1 and
    TODAS/ALL answer a pending offer; anything else gets the help text once a day."""
    try:
        # Any real number, in whatever region: a STOP must work even from a number we no
        # longer text.
        number = contacts.parse_phone(request.POST.get("From", ""))
    except ValidationError:
        return twiml()  # a short code or an alphanumeric sender: nothing to act on
    digest = crypto.digest(contacts.e164(number))
    keyword = classify(request.POST.get("Body", ""))
    language = optout.language_of(digest) or keyword.language
    now = timezone.now()
    logger.info("Inbound SMS keyword: %s", keyword.action)
    if keyword.action == Action.STOP:
        newly = optout.stop_number(digest, reason="keyword")
        join.forget(digest)
        # One confirmation, then silence: a second STOP gets no answer.
        return twiml(reply(Action.STOP, language) if newly else "")
    stopped = services.is_suppressed(digest)
    if keyword.action == Action.START:
        if stopped:
            optout.start_number(digest)
            return twiml(reply(Action.START, language))
        answered = _yes_to_reminder(keyword.word, digest, now)
        if answered is not None:
            return twiml(answered)
        # Never stopped: "you can get our reminders again" would tell a stranger we have
        # their number on a list. Say how to join instead, or fall through to the help text.
        hint = join.keyword_hint(language or settings.LANGUAGE_CODE)
        if hint:
            return twiml(hint)
    if keyword.action == Action.HELP:
        hint = join.keyword_hint(language or settings.LANGUAGE_CODE)
        return twiml(reply(Action.HELP, language), hint or "")
    if keyword.action == Action.JOIN:
        return twiml(*_join(keyword, digest, number, stopped, now))
    if keyword.action in (Action.ONE, Action.ALL) and not stopped:
        pending = join.pending_offer(digest, now)
        try:  # served when offered; SMS_REGIONS may have changed since
            contact = contacts.normalize_phone(contacts.e164(number))
        except ValidationError:
            if pending is not None:
                join.forget(digest)
                return twiml(join.not_served_reply(pending.language))
            pending = None
        if pending is not None:
            return twiml(*join.answer(pending, contact, keyword.action, now))
    pending = None if stopped else join.pending_offer(digest, now)
    if pending is not None and caches["limits"].add(
        f"sms-offer-again:{digest}", 1, HELP_REPLY_EVERY
    ):
        # An answer to the offer that matches no choice: the choices again (once), in its
        # language; after that, the help text once a day like any other text.
        with translation.override(pending.language):
            return twiml(join.offer_text(any_meeting=pending.meeting_id is not None))
    # The "limits" cache: Redis, or the database while Redis is down (never a 500 to Twilio).
    if caches["limits"].add(f"sms-help-reply:{digest}", 1, HELP_REPLY_EVERY):
        return twiml(*replies(Action.OTHER, language))
    return twiml()


def _yes_to_reminder(word: str, digest: str, now) -> str | None:
    """YES/SÍ answering a reminder: count "I plan to go" once and thank; None when the word
    is not YES/SÍ or no reminder of a meeting still ahead was sent to this number."""
    if word not in YES_WORDS:
        return None
    subscription = join.answered_reminder(digest, now)
    if subscription is None:
        return None
    join.plan_to_go(subscription)
    return join.thanks_reply(subscription)


def _join(keyword, digest: str, number, stopped: bool, now) -> list[str]:
    """A join keyword: the offer, or why none can be made."""
    if stopped:
        return [join.stopped_reply(keyword.language)]
    try:
        contacts.normalize_phone(contacts.e164(number))
    except ValidationError:
        return [join.not_served_reply(keyword.language)]
    return join.offer(digest, keyword.word, keyword.language, now)


def replies(action: Action, language: str) -> list[str]:
    """The answer in the sender's language, or one text per language (the site's first two)
    when unknown: too long for one text once it says where to get help."""
    if language in languages.codes():
        return [reply(action, language)]
    return [reply(action, code) for code in languages.codes()[:2]]


def reply(action: Action, language: str) -> str:
    """The answer to a keyword in one language, or when unknown in the site's first two
    (LANGUAGES order, Spanish first by default: one text cannot carry every language)."""
    if language in languages.codes():
        with translation.override(language):
            return _reply_text(action)
    texts = []
    for code in languages.codes()[:2]:
        with translation.override(code):
            texts.append(_reply_text(action))
    return " / ".join(texts)


def _reply_text(action: Action) -> str:
    context = {
        "sender": department.sms_sender(),
        "phone": department.phone(),
        "site": _site(),
        "keyword": _keyword(),
    }
    if action == Action.STOP:
        # Translators: reply to STOP/ALTO. Keep START as it is in every language: after a
        # STOP, the carrier and Twilio deliver nothing more until the number texts START.
        text = gettext(
            "%(sender)s: You will get no more texts from us. To get them again, reply START."
        )
    elif action == Action.START:
        # Translators: reply to START/SÍ. STOP is the English keyword to stop; ALTO in Spanish.
        text = gettext("%(sender)s: You can get our reminders again. Reply STOP to opt out.")
    elif action == Action.HELP:
        # Translators: reply to HELP/AYUDA: who we are, a person to call, rates, our site,
        # how to stop (STOP; ALTO in Spanish). Within 3 SMS parts (201 characters in Spanish,
        # Vietnamese, Arabic) with a site address of 30 characters: keep it short.
        text = gettext(
            "%(sender)s: community meeting reminders. To talk to a person, call %(phone)s. "
            "Msg & data rates may apply. More information: %(site)s. Reply STOP to opt out."
        )
    else:
        text = _not_understood()
    return text % context


def _not_understood() -> str:
    """The reply to any other text: how to see the meetings (a near keyword, "reunon", is
    the usual reason), that no one reads it, and where help is (a worried text must learn)."""
    if not _keyword():
        # Translators: reply to any other text, at most once a day. STOP is ALTO in Spanish.
        # A police number: a worried text must learn where help is.
        return gettext(
            "%(sender)s: nobody reads replies to this number. In an emergency, call 911. To "
            "talk to a person, call %(phone)s. Reply STOP to opt out."
        )
    # Translators: reply to any other text, at most once a day; %(keyword)s is the join
    # keyword (REUNION). Within 3 SMS parts (201 characters in Spanish, Vietnamese, Arabic).
    # Spanish: "no entendimos. Para ver las reuniones, envíe %(keyword)s. Nadie lee las
    # respuestas; para hablar con alguien, llame al %(phone)s. Emergencias: 911. Responda
    # ALTO para no recibir más."
    return gettext(
        "%(sender)s: we did not understand your message. To see the next meetings, send "
        "%(keyword)s. Nobody reads replies; to talk to a person, call %(phone)s. Emergencies: "
        "911. Reply STOP to opt out."
    )


def _keyword() -> str:
    """The join keyword printed in the active language (REUNION, MEETING, HOP, اجتماع)."""
    return join.first_keyword(translation.get_language() or settings.LANGUAGE_CODE)


def _site() -> str:
    return settings.SITE_URL.split("://", 1)[-1]


@csrf_exempt
@require_POST
@twilio_signed
def delivery_status(request: HttpRequest) -> HttpResponse:
    """Twilio's report on a message we sent: a carrier failure marks the delivery failed,
    and error 21610 (the recipient opted out at the carrier) stops the number."""
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    code = request.POST.get("ErrorCode", "")
    delivery = Delivery.objects.select_related("subscription").filter(provider_id=sid).first()
    if not sid or delivery is None:
        return HttpResponse(status=204)
    with transaction.atomic():
        # A failure report is acted on once: an old 21610 replayed after the resident's START
        # stops nothing. ("delivered" changes nothing the second time: no need to keep it.)
        if status in FAILED_STATUSES and not inbound.first_time(f"status:{sid}:{status}:{code}"):
            return HttpResponse(status=204)
        _record_status(delivery, status, code)
    return HttpResponse(status=204)


def _record_status(delivery: Delivery, status: str, code: str) -> None:
    if status in FAILED_STATUSES:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = f"Carrier: {status[:20]} (error {code[:10] or 'none'})."
        delivery.save(update_fields=["status", "last_error"])
        if code == str(UNSUBSCRIBED) and delivery.subscription:
            optout.stop_number(delivery.subscription.contact_digest, reason="carrier")
    elif status == "delivered" and delivery.status != DeliveryStatus.SENT:
        delivery.status, delivery.last_error = DeliveryStatus.SENT, ""
        delivery.save(update_fields=["status", "last_error"])
