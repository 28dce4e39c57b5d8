"""What an inbound text message asks for: stop, start again, help, join, an answer, or else.

Carrier rules (CTIA, and Twilio's own handling) read the WHOLE message as one keyword, so
"stop" and "¡Alto!" stop, while "please don't stop" does not. Our join keywords may also be
a message's first word ("Reunion por favor"). Matching ignores case,
accents, surrounding spaces and punctuation, and zero-width or full-width characters that
phones' keyboards slip in.

Carrier keywords (STOP..., START..., HELP...) always win over ours: the join keywords come
from settings.SMS_JOIN_KEYWORDS and can never shadow them. YES and SÍ are START words; the
webhook reads them as "I plan to go" when they answer a reminder (webhooks.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from outreach import languages


class Action(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    JOIN = "join"  # a join keyword (settings.SMS_JOIN_KEYWORDS): offer the next meetings
    ONE = "one"  # the answer to an offer: the next meeting
    ALL = "all"  # the answer to an offer: every upcoming meeting
    OTHER = "other"


@dataclass(frozen=True)
class Keyword:
    action: Action
    language: str  # a language code, or "" when the word does not tell
    word: str = ""  # the normalized keyword (for OTHER, the normalized message)


def normalize(message: str) -> str:
    """Lowercase ASCII-ish words separated by single spaces, edges stripped of punctuation."""
    decomposed = unicodedata.normalize("NFKD", message or "")
    kept = "".join(
        ch
        for ch in decomposed
        # Drop accents (Mn) and invisible format characters (Cf: zero-width space, BOM...).
        if unicodedata.category(ch) not in {"Mn", "Cf"}
    )
    words = kept.casefold().split()
    text = " ".join(words)
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


def _keywords() -> dict[str, tuple[Action, str]]:
    """keyword (normalized) -> (action, the language it suggests, or "" when it does not
    tell), from settings.SMS_KEYWORDS: every shipped language's words, enabled or not, so
    a carrier keyword or a resident's STOP in any of them always stops."""
    found = {
        normalize(word): (Action(action), "")
        for action, words in settings.SMS_KEYWORDS_ANY_LANGUAGE.items()
        for word in words
    }
    for language, actions in settings.SMS_KEYWORDS.items():
        for action, words in actions.items():
            for word in words:
                found.setdefault(normalize(word), (Action(action), language))
    return found


# keyword (normalized) -> (action, the language it suggests, or "" when it does not tell)
KEYWORDS: dict[str, tuple[Action, str]] = _keywords()
# START words that also mean "yes, I plan to go" after a reminder (settings.SMS_YES_WORDS).
YES_WORDS = frozenset(
    normalize(word) for words in settings.SMS_YES_WORDS.values() for word in words
)

# Answers to a join offer, in any language ("" : the offer's language is used). "Every
# meeting" in residents' own words is settings.SMS_ALL_WORDS (the resident audits' runs).
ANSWERS: dict[str, Action] = {
    **dict.fromkeys(["1", "uno", "one"], Action.ONE),
    **{normalize(word): Action.ALL for words in settings.SMS_ALL_WORDS.values() for word in words},
}


def join_keywords() -> dict[str, str]:
    """Normalized join keyword -> the language to answer in, from settings (carrier keywords
    excluded): the word's own, or the default one when the site does not speak it (the
    answer subscribes in that language, and a subscription's language is an enabled one)."""
    found = {}
    enabled = languages.codes()
    for language, words in settings.SMS_JOIN_KEYWORDS.items():
        answer_in = language if language in enabled else languages.default()
        for word in words:
            key = normalize(word)
            if key and key not in KEYWORDS:
                found.setdefault(key, answer_in)
    return found


def classify(message: str) -> Keyword:
    """The keyword a whole message is, with the language it suggests; OTHER for anything else.
    Carrier keywords first, so STOP always wins."""
    word = normalize(message)
    if word in KEYWORDS:
        action, language = KEYWORDS[word]
        return Keyword(action, language, word)
    joining = join_keywords()
    if word in joining:
        return Keyword(Action.JOIN, joining[word], word)
    if word in ANSWERS:
        return Keyword(ANSWERS[word], "", word)
    first = first_word(word)
    if first in joining:
        # "Reunion por favor", "Meeting please": a join keyword may open a message (joining
        # costs nothing and is asked again); carrier keywords keep their whole-message rule.
        return Keyword(Action.JOIN, joining[first], first)
    return Keyword(Action.OTHER, "", word)


def first_word(word: str) -> str:
    """The first word of a normalized message, without the punctuation after it."""
    head = word.split(" ", 1)[0]
    end = len(head)
    while end and not head[end - 1].isalnum():
        end -= 1
    return head[:end]
