"""Messages rendered from templates/messages/<kind>_{subject,body,sms}.*, in the recipient's
language and the venue's time zone, and SMS length counted the way carriers count it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec used to count SMS parts)
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from meetings import dates, facts
from meetings.models import Meeting
from outreach import department

from . import frequency
from .enums import ASKS_PLAN_KINDS, Kind

# Characters that sneak in from translations and templates and would make an SMS UCS-2
# (or look odd): non-breaking and narrow spaces, typographic dashes.
# PRODUCT.md: every reminder fits in three SMS parts (a part costs money, and carriers may
# drop or split long texts).
MAX_SMS_SEGMENTS = 3
MIN_VENUE_CHARS = 12
LAST_RESORT_VENUE_CHARS = 4
SMS_REPLACEMENTS = {"\xa0": " ", "\u202f": " ", "\u2009": " ", "–": "-", "—": "-", "’": "'"}


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def sms_clean(text: str) -> str:
    """One line of plain text with no stray non-GSM spacing or dashes; accents are kept."""
    for bad, good in SMS_REPLACEMENTS.items():
        text = text.replace(bad, good)
    return " ".join(text.split())


def sms_segments(text: str) -> int:
    """How many SMS parts the text costs: GSM-7 160/153 septets, else UCS-2 70/67 units."""
    try:
        septets = len(text.encode("gsm03.38"))  # extension characters count two, as sent
        single, multi = 160, 153
    except UnicodeEncodeError:
        septets = len(text.encode("utf-16-le")) // 2  # astral characters count two
        single, multi = 70, 67
    return 1 if septets <= single else math.ceil(septets / multi)


def short_link(meeting: Meeting) -> str:
    """The meeting's short address on our own domain, in the active language."""
    return settings.SITE_URL + reverse("reminders:short", kwargs={"pk": meeting.pk})


# A reminder sent at most this long before the start may say "starting soon"; one moved
# earlier by quiet hours (the evening before) names the day instead.
SOON = timedelta(hours=3)


def meeting_context(meeting: Meeting, sent_at: datetime | None = None) -> dict:
    """What every message about a meeting says: what, when, where, and the link. `sent_at`
    (default now) is when the message goes out, for "soon", "today" and "tomorrow"."""
    venue = meeting.venue
    sent_at = sent_at or timezone.now()
    # SMS space is dear: weekday, day and month, no year.
    sms_when = dates.day_and_time(
        dates.day_heading(meeting.starts_at), dates.clock(meeting.starts_at)
    )
    return {
        "meeting": meeting,
        "when": dates.when(meeting.starts_at, meeting.ends_at),
        "sms_when": sms_when,
        "soon": meeting.starts_at - sent_at <= SOON,
        "reminder_when": _relative_when(meeting.starts_at, sent_at, sms_when),
        "venue": venue.name,
        "address": venue.street_address,  # the city is known to every resident; SMS is short
        "link": short_link(meeting),
        "page": meeting.public_url(),
        # The page's "what to expect" facts, for the emails (an SMS has no room for them all).
        "facts": [str(fact) for fact in facts.what_to_expect(meeting)],
        # The few the "plan your visit" text names, most important first, as many as fit.
        # "No ID asked" first: the line a worried resident looks for (resident's audit).
        "visit_facts": [str(fact) for fact in _visit_facts(meeting)],
        "visit_facts_short": [fact.short or str(fact) for fact in _visit_facts(meeting)],
        # The reason staff gave for a cancellation or change, in this language only.
        "reason": sms_clean(meeting.reason_in()),
    }


def _visit_facts(meeting: Meeting) -> list:
    return sorted(facts.for_visit(meeting), key=lambda fact: fact.key != "no_id")


def _relative_when(start: datetime, sent_at: datetime, sms_when: str) -> str:
    """ "today, 9:30 a.m.", "tomorrow, Sunday, February 7, 9:30 a.m." or the plain date."""
    days = (timezone.localtime(start).date() - timezone.localtime(sent_at).date()).days
    if days == 0:
        # Translators: a reminder sent on the meeting's day; %(time)s is "9:30 a. m."
        return pgettext("reminder day", "today, %(time)s") % {"time": dates.clock(start)}
    if days == 1:
        # Translators: a reminder sent the day before; %(day)s is "domingo 7 de febrero".
        # Spanish: "mañana %(day)s, %(time)s"
        return pgettext("reminder day", "tomorrow, %(day)s, %(time)s") % {
            "day": dates.day_heading(start),
            "time": dates.clock(start),
        }
    return sms_when


def render(
    kind: str, language: str, build: Callable[[], dict], *, sms_only: bool = False
) -> Rendered:
    """The message of one kind in one language; `build` makes the context inside that language
    (so dates and links come out translated)."""
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        context = {
            "sender": department.sms_sender(),
            "reminders": frequency.reminders_per_meeting(),
            # The day-before text asks "Planning to come? Reply YES" (reminders/join.py).
            "ask_plan": kind in ASKS_PLAN_KINDS,
            **build(),
        }
        sms = _fit_sms(kind, context)
        if sms_only:
            return Rendered("", "", "", sms)
        subject = " ".join(render_to_string(f"messages/{kind}_subject.txt", context).split())
        text = render_to_string(f"messages/{kind}_body.txt", context).strip() + "\n"
        html = render_to_string(f"messages/{kind}_body.html", context)
        return Rendered(subject, text, html, sms)


def _fit_sms(kind: str, context: dict) -> str:
    """The SMS within MAX_SMS_SEGMENTS parts: a long venue name is shortened ("Centro
    Comunitario de la..."), while the date, the address and the link stay whole. The
    day-before question ("Planning to come? Reply YES") is the first thing to go when even
    the shortest venue leaves no room for it (a YES still counts: reminders/join.py); the
    "plan your visit" text names the facts that fit (_fit_visit; the email and the page have
    them all).
    Then the venue's first letters only; in a text that gives the street address, the venue's
    name gives way entirely; staff's reason (at most REASON_MAX characters, which fits:
    tested) goes last (the email and the page still give it)."""
    template = f"messages/{kind}_sms.txt"
    variants = [context, {**context, "ask_plan": False}] if context.get("ask_plan") else [context]
    if kind == Kind.REMINDER_3D:
        variants = [_fit_visit(template, context)]
    for variant in variants:
        sms = _shorten_venue(template, variant, MIN_VENUE_CHARS)
        if sms_segments(sms) <= MAX_SMS_SEGMENTS:
            return sms
    last = variants[-1]
    sms = _shorten_venue(template, last, LAST_RESORT_VENUE_CHARS)
    if sms_segments(sms) > MAX_SMS_SEGMENTS and last.get("address"):
        sms = _render_sms(template, {**last, "venue": ""})
    if sms_segments(sms) > MAX_SMS_SEGMENTS and last.get("reason"):
        sms = _render_sms(template, {**last, "venue": "", "reason": ""})
    return sms


def _render_sms(template: str, context: dict) -> str:
    # The venue and its address, joined with the language's own comma (Arabic "، ").
    place = facts.list_of(filter(None, [context.get("venue"), context.get("address")]))
    return sms_clean(render_to_string(template, {**context, "place": place}))


# "No ID asked" and "Free": what a worried resident planning a visit looks for first.
ESSENTIAL_VISIT_FACTS = 2


def _fit_visit(template: str, context: dict) -> dict:
    """The "plan your visit" text's context with the facts that fit (meetings.facts.for_visit,
    "No ID asked" first, then "Free"). Tried in turn: the facts as the page words them, in
    their short words, then without the venue's name; the first that keeps both wins. Else
    the first that keeps "No ID asked", the link without "https://" (phones still make it a
    link) as the last resort. The address, the date and how to stop always stay (Spanish,
    Vietnamese and Arabic are UCS-2: 201 characters); the email and the page give every
    fact."""
    wanted = context.get("visit_facts") or []
    short = {**context, "visit_facts": context.get("visit_facts_short") or wanted}
    bare = {**short, "venue": ""}
    variants = [context, short, bare, {**bare, "link": context["link"].split("://", 1)[-1]}]
    fitted = [{**v, "visit_facts": _facts_that_fit(template, v)} for v in variants]
    # Both facts with the link whole; else "No ID asked" alone, the bare link last of all.
    for must, tries in ((min(ESSENTIAL_VISIT_FACTS, len(wanted)), 3), (min(1, len(wanted)), 4)):
        for variant, fit in zip(variants[:tries], fitted[:tries], strict=True):
            if fit["visit_facts"][:must] == variant["visit_facts"][:must]:
                return fit
    return fitted[0]


def _facts_that_fit(template: str, context: dict) -> list[str]:
    """The facts, most important first, each kept if the text with it still fits with the
    venue at its usual shortest (a long one is skipped, a shorter one after it may still
    fit)."""
    kept: list[str] = []
    for fact in context.get("visit_facts") or []:
        sms = _shorten_venue(template, {**context, "visit_facts": [*kept, fact]}, MIN_VENUE_CHARS)
        if sms_segments(sms) <= MAX_SMS_SEGMENTS:
            kept.append(fact)
    return kept


def _shorten_venue(template: str, context: dict, shortest: int) -> str:
    sms = _render_sms(template, context)
    venue = context.get("venue", "")
    while sms_segments(sms) > MAX_SMS_SEGMENTS and len(venue) > shortest:
        venue = venue[: max(len(venue) - 4, shortest)].rstrip()
        sms = _render_sms(template, {**context, "venue": f"{venue}..."})
    return sms
