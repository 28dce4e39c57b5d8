"""The "what to expect" facts about a meeting: one list for the page, the flyer, the calendar
file and the emails, so a fact shown in one place is never dropped or worded apart in another.

Every text is in the active language (call inside translation.override).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, gettext, pgettext

from outreach.languages import in_sentence

from .enums import Parking, SpokenLanguage, Transit
from .models import Meeting


@dataclass(frozen=True)
class Fact:
    """One short translated fact; `key` says which, so a flyer can pick and group them."""

    key: str
    text: str
    short: str = ""  # fewer words, for a text message with no room for `text`

    def __str__(self) -> str:
        return self.text


# The three that matter most to a worried resident, in this order: on the flyer in large type.
HEADLINE_KEYS = ("free", "no_id", "language")


def list_of(items) -> str:
    """Items joined with the language's own comma ("الإسبانية، الإنجليزية")."""
    # Translators: what separates the items of a list, as in "Spanish, English"; Arabic "، ".
    return pgettext("list separator", ", ").join(items)


def list_with_and(items) -> str:
    """Items as a sentence lists them: "Spanish, English and Arabic" (Arabic joins its "and"
    to the last item)."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    # Translators: the end of a list, as in "3 days before, 1 day before and 2 hours before".
    return pgettext("list", "%(items)s and %(last)s") % {
        "items": list_of(items[:-1]),
        "last": items[-1],
    }


def what_to_expect(meeting: Meeting) -> list[Fact]:
    """The short, translated facts a worried resident looks for first, most reassuring first."""
    facts = []
    if meeting.is_free:
        facts.append(Fact("free", gettext("Free")))
    if meeting.no_id_asked:
        # Translators: the short form a text message uses when the long one has no room.
        short = pgettext("in a text message", "No ID asked")
        facts.append(Fact("no_id", gettext("No ID or immigration status asked"), short))
    if meeting.spoken_language_labels:
        names = list_of(in_sentence(n) for n in meeting.spoken_language_labels)
        # Translators: followed by a list of languages, as in "Languages spoken: Spanish, English".
        text = gettext("Languages spoken: %(languages)s") % {"languages": names}
        facts.append(Fact("languages", text))
    if meeting.interpretation:
        facts.append(Fact("interpretation", gettext("Interpretation offered")))
    if meeting.children_welcome:
        facts.append(Fact("children", gettext("Children welcome")))
    if meeting.step_free_access:
        facts.append(Fact("step_free", gettext("Step-free access")))
    if meeting.parking != Parking.UNKNOWN:
        facts.append(Fact("parking", str(meeting.get_parking_display())))
    if meeting.transit != Transit.UNKNOWN:
        facts.append(Fact("transit", str(meeting.get_transit_display())))
    return facts


def reader_language() -> str:
    """The active language's code as SpokenLanguage writes it (the base of "es-mx")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def language_fact(meeting: Meeting) -> Fact | None:
    """Whether the reader will understand: "Spanish spoken" when the presenters speak the
    reader's language, else "Interpretation offered" when there is interpretation."""
    language = reader_language()
    labels = dict(SpokenLanguage.choices)
    if language in (meeting.spoken_languages or []) and language in labels:
        # Translators: a headline on the flyer, in the reader's own language: "Se habla español".
        text = gettext("%(language)s spoken") % {"language": in_sentence(str(labels[language]))}
        return Fact("language", text[:1].upper() + text[1:])
    if meeting.interpretation:
        return Fact("language", gettext("Interpretation offered"))
    return None


def headline(meeting: Meeting) -> tuple[list[Fact], list[Fact]]:
    """The facts split for a flyer: (the three that matter most, if true; all the others).

    The others leave out what a headline already says: the interpretation line when the
    headline says it, and the list of languages when the reader's is the only one spoken."""
    facts = what_to_expect(meeting)
    by_key = {fact.key: fact for fact in facts}
    spoken = language_fact(meeting)
    top = [f for f in (by_key.get("free"), by_key.get("no_id"), spoken) if f is not None]
    said = {"free", "no_id"}
    if spoken is not None and spoken.text == by_key.get("interpretation", Fact("", "")).text:
        said.add("interpretation")
    if spoken is not None and list(meeting.spoken_languages) == [reader_language()]:
        said.add("languages")
    return top, [f for f in facts if f.key not in said]


def for_visit(meeting: Meeting) -> list[Fact]:
    """The facts the "plan your visit" reminder (three days before) names, most important
    first: the flyer's headline (free, no ID asked, the reader's language spoken or
    interpretation), then children welcome. A text message keeps those that fit."""
    top, others = headline(meeting)
    return top + [fact for fact in others if fact.key == "children"]
