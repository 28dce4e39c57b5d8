"""Text to join, and reply to answer: SMS as a way in, not only a way out.

A resident texts a join keyword (settings.SMS_JOIN_KEYWORDS, e.g. REUNION or MEETING) to our
number and gets, in the keyword's language, the next meeting or two and an offer: reply 1 for
the next meeting, TODAS/ALL for every meeting, or STOP. The answer creates a confirmed
subscription (texting from the number proves it: no code), with the consent recorded as the
time, "sms:<keyword>" as the page and a version of the offer's wording, never the message.
Which offer waits for an answer is kept by the number's digest only, and expires.

A YES (SÍ) that answers a reminder adds one to that meeting's anonymous "I plan to go" count,
once per subscription and meeting (webhooks.py decides when YES means that).

Every reply here is counted with the GSM-7/UCS-2 encoder: each fits MAX_SMS_SEGMENTS parts.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext

from meetings import dates
from meetings.attendance import open_for_plans
from meetings.enums import MeetingStatus
from meetings.models import Meeting
from outreach import department, languages

from . import messages, services
from .enums import Channel, SubscriptionStatus
from .keywords import Action
from .models import JoinOffer, PlanToGo, Subscription

OFFERED_MEETINGS = 2
CONSENT_PAGE_PREFIX = "sms:"
VERSION_PREFIX = "sms-join:"


# --- The line on pages, flyers and the HELP reply -----------------------------------------


def join_number() -> str:
    """settings.SMS_JOIN_NUMBER as a resident dials it: "(214) 555-0100" ("" when unset)."""
    raw = settings.SMS_JOIN_NUMBER
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def first_keyword(language: str) -> str:
    """The keyword printed for a language: its first one (REUNION, MEETING, HOP, اجتماع), else
    the default language's, else the first configured."""
    keywords = settings.SMS_JOIN_KEYWORDS
    words = (
        keywords.get(language)
        or keywords.get(languages.default())
        or next(iter(keywords.values()), [])
    )
    return words[0].upper() if words else ""


def sms_join_line(language: str | None = None) -> str | None:
    """ "¿Sin internet? Envíe REUNION al (214) 555-0100" in `language` (default: the active
    one), or None when SMS_JOIN_NUMBER is not set. The one source of that line."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    keyword, number = first_keyword(language), join_number()
    if not (keyword and number):
        return None
    with translation.override(language):
        # Translators: on pages, flyers and the HELP reply. Spanish: "¿Sin internet? Envíe
        # %(keyword)s al %(number)s"
        return gettext("No internet? Text %(keyword)s to %(number)s") % {
            "keyword": keyword,
            "number": number,
        }


# --- The offer ----------------------------------------------------------------------------


def next_meetings(now: datetime) -> list[Meeting]:
    """The meetings an offer names: published, scheduled, not yet started, soonest first."""
    found = Meeting.objects.upcoming(now).filter(status=MeetingStatus.SCHEDULED, starts_at__gt=now)
    return list(found[:OFFERED_MEETINGS])


def offer_text(*, any_meeting: bool = True) -> str:
    """The offer in the active language; its wording is what the resident consents to."""
    context = {"sender": department.sms_sender()}
    if not any_meeting:
        # Translators: answer to a join keyword when no meeting is scheduled. ALL is TODAS in
        # Spanish; STOP is ALTO, never bare: "o responda ALTO para no recibir más".
        return (
            gettext(
                "%(sender)s: No meeting is scheduled yet. Reply ALL for reminders of every "
                "meeting we schedule, or STOP to opt out. Msg & data rates may apply."
            )
            % context
        )
    # Translators: answer to a join keyword, after the list of meetings. Spanish: "Responda 1
    # para recordatorios de la próxima reunión, TODAS para todas las reuniones, o responda
    # ALTO para no recibir más. Puede haber cargos por mensajes y datos."
    return (
        gettext(
            "%(sender)s: Reply 1 for reminders of the next meeting, ALL for every meeting, or "
            "STOP to opt out. Msg & data rates may apply."
        )
        % context
    )


def disclosure_version(text: str) -> str:
    """A short fingerprint of the offer's words: changes whenever the wording does."""
    return VERSION_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:12]


def meeting_line(meeting: Meeting, venue: str | None = None) -> str:
    """ "sábado 14 de marzo, 6:00 p. m., Centro Comunitario, 1500 Singleton Blvd" in the
    active language: the street as every reminder gives it (the venue's street address: the
    city is known to every resident), so a resident can tell where a venue they do not know
    is."""
    start = meeting.starts_at
    when = dates.day_and_time(dates.day_heading(start), dates.clock(start))
    # Translators: one meeting in the answer to a join keyword: "miércoles 3 de febrero,
    # 6:30 p. m., Iglesia San José, 1400 W Jefferson Blvd". Use your language's comma.
    return pgettext("meeting line", "%(when)s, %(venue)s, %(street)s") % {
        "when": when,
        "venue": venue or meeting.venue.name,
        "street": meeting.venue.street_address,
    }


def meetings_text(meetings: list[Meeting]) -> str:
    """The sender and one line per meeting, within MAX_SMS_SEGMENTS parts: long venue names
    are shortened first (the streets stay whole: they say where), then only the next meeting
    is named (tests/reminders/test_join_words.py measures the demo's longest pair)."""
    for count in range(len(meetings), 0, -1):
        shown = meetings[:count]
        venues = [meeting.venue.name for meeting in shown]
        while True:
            text = _meetings_sentence(shown, venues)
            if messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS:
                return text
            longest = max(range(len(venues)), key=lambda i: len(venues[i]))
            if len(venues[longest]) <= messages.MIN_VENUE_CHARS:
                break
            venues[longest] = venues[longest].removesuffix("...")[:-4].rstrip() + "..."
    return _meetings_sentence(meetings[:1], [meetings[0].venue.name[: messages.MIN_VENUE_CHARS]])


def _meetings_sentence(meetings: list[Meeting], venues: list[str]) -> str:
    # Translators: between two meetings in a text, each already holding commas (Arabic "؛ ").
    separator = pgettext("list of items with commas", "; ")
    lines = separator.join(meeting_line(m, v) for m, v in zip(meetings, venues, strict=True))
    # Translators: answer to a join keyword: the next meeting(s), "day, time, venue" each,
    # separated by semicolons. Spanish: "Próxima reunión:" / "Próximas reuniones:"
    text = ngettext(
        "%(sender)s: Next meeting: %(meetings)s.",
        "%(sender)s: Next meetings: %(meetings)s.",
        len(meetings),
    ) % {"sender": department.sms_sender(), "meetings": lines}
    return messages.sms_clean(text)


@transaction.atomic
def offer(digest: str, keyword: str, language: str, now: datetime | None = None) -> list[str]:
    """Answer a join keyword: remember the offer (by digest, until it expires) and return the
    texts of the reply, in the keyword's language."""
    now = now or timezone.now()
    forget_expired(now)
    meetings = next_meetings(now)
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        texts = [meetings_text(meetings)] if meetings else []
        wording = offer_text(any_meeting=bool(meetings))
        texts.append(messages.sms_clean(wording))
    JoinOffer.objects.update_or_create(
        contact_digest=digest,
        defaults={
            "language": language,
            "keyword": keyword[:40],
            "version": disclosure_version(wording),
            "meeting": meetings[0] if meetings else None,
            "expires_at": now + timedelta(hours=settings.SMS_JOIN_OFFER_HOURS),
        },
    )
    return texts


def stopped_reply(language: str) -> str:
    """A join keyword from a number that texted STOP: nothing is offered until START."""
    with translation.override(language):
        # Translators: a number that texted STOP (ALTO) texts a join keyword. Keep START as it
        # is in every language, as in the reply to STOP: the carrier and Twilio deliver
        # nothing more until the number texts START.
        text = gettext(
            "%(sender)s: You asked us to stop texting you. To get our texts again, reply "
            "START, then send %(keyword)s."
        )
        return text % {"sender": department.sms_sender(), "keyword": first_keyword(language)}


def not_served_reply(language: str) -> str:
    with translation.override(language):
        # Translators: a join keyword from a number we do not text (another country, a
        # landline).
        text = gettext(
            "%(sender)s: We can only text US mobile numbers. Ask for reminders by email at "
            "%(site)s or call %(phone)s."
        )
        return text % {
            "sender": department.sms_sender(),
            "site": settings.SITE_URL.split("://", 1)[-1],
            "phone": department.phone(),
        }


def keyword_hint(language: str) -> str | None:
    """ "Policía de Dallas: Para ver las próximas reuniones, envíe REUNION." (None without
    text-to-join): the HELP reply's second text, and the answer to a SÍ/START from a number
    that was never stopped (it must not read as "you are on our list again")."""
    keyword = first_keyword(language)
    if not (keyword and join_number()):
        return None
    with translation.override(language):
        # Translators: sent by text, so no phone number: they are already texting it.
        text = gettext("%(sender)s: To see the next meetings, text %(keyword)s.")
        return text % {"sender": department.sms_sender(), "keyword": keyword}


def forget(digest: str) -> None:
    """STOP: an offer waiting for its answer is withdrawn."""
    JoinOffer.objects.filter(contact_digest=digest).delete()


def forget_expired(now: datetime | None = None) -> int:
    deleted, _detail = JoinOffer.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# --- The answer ---------------------------------------------------------------------------


def pending_offer(digest: str, now: datetime) -> JoinOffer | None:
    return JoinOffer.objects.filter(contact_digest=digest, expires_at__gt=now).first()


@transaction.atomic
def answer(pending: JoinOffer, contact: str, action: str, now: datetime | None = None) -> list[str]:
    """Act on 1 or TODAS/ALL for a pending offer: a confirmed subscription, its reminders
    planned, and the welcome text as the reply. Returns the reply's texts."""
    now = now or timezone.now()
    language = pending.language
    meeting = None
    if action == Action.ONE:
        meeting = pending.meeting
        if meeting is None or meeting.starts_at <= now or meeting.status != MeetingStatus.SCHEDULED:
            return offer(pending.contact_digest, pending.keyword, language, now)
    subscription = services.join_by_text(
        contact=contact,
        language=language,
        meeting=meeting,
        consent_page=f"{CONSENT_PAGE_PREFIX}{pending.keyword}",
        consent_version=pending.version,
        now=now,
    )
    pending.delete()
    # What the subscription covers (one already covering every meeting stays so).
    chosen = subscription.meeting
    upcoming = chosen or next(iter(next_meetings(now)), None)
    return welcome_texts(language, chosen, upcoming, now)


def welcome_texts(
    language: str, meeting: Meeting | None, upcoming: Meeting | None, now: datetime | None = None
) -> list[str]:
    """The reply to 1 or TODAS/ALL: first which meeting the reminders are for (day, time,
    venue, street, link; for TODAS/ALL: every meeting, and the next one), then the welcome
    (who we are, rates, help, how to stop). Two texts, each within MAX_SMS_SEGMENTS parts:
    in one, a UCS-2 language (Spanish, Vietnamese, Arabic) would need four or five."""
    texts = []
    if upcoming is not None:
        joined = messages.render(
            "joined",
            language,
            lambda: {**messages.meeting_context(upcoming, now), "every": meeting is None},
            sms_only=True,
        )
        texts.append(joined.sms)
    welcome = messages.render("welcome", language, lambda: {"meeting": meeting}, sms_only=True)
    return [*texts, welcome.sms]


# --- Reply to a reminder: "I plan to go" --------------------------------------------------


def answered_reminder(digest: str, now: datetime) -> Subscription | None:
    """The SMS subscription of this number whose last reminder a YES answers: its meeting
    still open for plans (published, not cancelled, not over), the soonest first."""
    candidates = (
        Subscription.objects.filter(
            contact_digest=digest,
            channel=Channel.SMS,
            status=SubscriptionStatus.CONFIRMED,
            last_reminded_meeting__ends_at__gt=now,
        )
        .select_related("last_reminded_meeting")
        .order_by("last_reminded_meeting__starts_at")
    )
    return next((s for s in candidates if open_for_plans(s.last_reminded_meeting)), None)


@transaction.atomic
def plan_to_go(subscription: Subscription) -> bool:
    """Add one to the meeting's anonymous "I plan to go" count (Meeting.planned_attendance,
    the same as the page's button), once per subscription and meeting. True if counted now."""
    meeting = subscription.last_reminded_meeting
    try:
        with transaction.atomic():
            PlanToGo.objects.create(subscription=subscription, meeting=meeting)
    except IntegrityError:
        return False
    # update(), not save(): a count is no change staff made (no reminder re-planning).
    Meeting.objects.filter(pk=meeting.pk).update(planned_attendance=F("planned_attendance") + 1)
    return True


def thanks_reply(subscription: Subscription) -> str:
    meeting = subscription.last_reminded_meeting
    with translation.override(subscription.language), timezone.override(settings.TIME_ZONE):
        start = meeting.starts_at
        # The language's own comma (Arabic "، "); the sentence's full stop also closes an
        # abbreviated time ("3:16 p. m."), so the time's own final point is left out.
        when = dates.day_and_time(dates.day_heading(start), dates.clock(start)).removesuffix(".")
        # Translators: answer to YES (SÍ) after a reminder; %(when)s is "sábado 5 de
        # diciembre, 3:16 p. m" (the full stop after it ends the time too). Spanish: "Gracias
        # por avisarnos. Nos vemos en la reunión del %(when)s. Responda ALTO para no recibir
        # más."
        text = gettext(
            "%(sender)s: Thank you for letting us know. See you at the meeting on %(when)s. "
            "Reply STOP to opt out."
        )
        return messages.sms_clean(text % {"sender": department.sms_sender(), "when": when})
