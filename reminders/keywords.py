"""What an inbound text message asks for: stop, start again, help, or something else.

Carrier rules (CTIA, and Twilio's own handling) read the WHOLE message as one keyword, so
"stop" and "¡Alto!" stop, while "please don't stop" does not. Matching ignores case,
accents, surrounding spaces and punctuation, and zero-width or full-width characters that
phones' keyboards slip in.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class Action(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    OTHER = "other"


@dataclass(frozen=True)
class Keyword:
    action: Action
    language: str  # a language code, or "" when the word does not tell


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


def classify(message: str) -> Keyword:
    """The keyword a whole message is, with the language it suggests; OTHER for anything else."""
    action, language = KEYWORDS.get(normalize(message), (Action.OTHER, ""))
    return Keyword(action, language)
