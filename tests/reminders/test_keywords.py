"""A resident's reply is read the way carriers read it: the whole message is one keyword."""

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from reminders.keywords import KEYWORDS, Action, Keyword, classify, normalize

STOP_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
ALTO_WORDS = ["ALTO", "PARAR", "CANCELAR", "BAJA", "DETENER", "NO MAS", "NO MÁS"]


@pytest.mark.parametrize("word", STOP_WORDS)
def test_english_stop_words_stop(word):
    assert classify(word) == classify(word.lower())
    assert classify(word).action == Action.STOP
    assert classify(word).language == "en"


@pytest.mark.parametrize("word", ALTO_WORDS)
def test_spanish_stop_words_stop_and_suggest_spanish(word):
    assert classify(word).action == Action.STOP
    assert classify(word).language == "es"


@pytest.mark.parametrize(
    "message",
    [
        "¡Alto!",
        "  alto  ",
        "Alto.",
        "ALTO!!!",
        "alto 🙏",
        "«baja»",
        "No   más",
        "no más.",
        "Ｓｔｏｐ",
        "st\u200bop",
        "STOP\n",
        "\u200bstop",
    ],
)
def test_spaces_punctuation_accents_and_odd_characters_are_ignored(message):
    assert classify(message).action == Action.STOP


@pytest.mark.parametrize(
    ("message", "language"),
    [("START", "en"), ("unstop", "en"), ("Yes", "en"), ("SÍ", "es"), ("si", "es"), ("¡Sí!", "es")],
)
def test_start_words_resubscribe(message, language):
    assert classify(message).action == Action.START
    assert classify(message).language == language


@pytest.mark.parametrize(
    ("message", "language"), [("HELP", "en"), ("info", ""), ("Ayuda", "es"), ("¿ayuda?", "es")]
)
def test_help_words(message, language):
    assert classify(message).action == Action.HELP
    assert classify(message).language == language


@pytest.mark.parametrize(
    "message",
    [
        "please don't stop",
        "stop it now",
        "Gracias",
        "",
        "   ",
        "?!",
        "altos",
        "nomas",
        "no",
        "sí sí",
    ],
)
def test_a_keyword_inside_a_sentence_is_not_a_keyword(message):
    assert classify(message).action == Action.OTHER


@given(st.text())
def test_any_message_at_all_is_classified_without_error(message):
    keyword = classify(message)
    assert keyword.action in set(Action)
    # Every shipped language's words are known, enabled or not (reminders/keywords.py).
    assert keyword.language in {*settings.SMS_KEYWORDS, ""}


@given(
    word=st.sampled_from(sorted(KEYWORDS)),
    before=st.text(alphabet=" \t\n.,;:!?¡¿\"'()-*«»…", max_size=5),
    after=st.text(alphabet=" \t\n.,;:!?¡¿\"'()-*«»…", max_size=5),
    upper=st.booleans(),
)
def test_every_keyword_survives_case_and_surrounding_punctuation(word, before, after, upper):
    typed = word.upper() if upper else word
    assert classify(f"{before}{typed}{after}") == classify(word)
    assert classify(word).action != Action.OTHER


@given(st.text())
def test_normalizing_twice_changes_nothing(message):
    assert normalize(normalize(message)) == normalize(message)


def test_a_join_keyword_can_never_shadow_a_carrier_keyword(settings):
    settings.SMS_JOIN_KEYWORDS = {"es": ["ALTO", "Reunión"], "en": ["STOP", "HELP", "MEETING"]}
    assert classify("alto").action == Action.STOP
    assert classify("Stop").action == Action.STOP
    assert classify("help").action == Action.HELP
    assert classify("¡REUNIÓN!") == Keyword(Action.JOIN, "es", "reunion")
    assert classify("meeting.").language == "en"


@pytest.mark.parametrize(
    ("message", "action"), [("1", Action.ONE), (" Todas ", Action.ALL), ("all!", Action.ALL)]
)
def test_answers_to_an_offer_are_classified(message, action):
    assert classify(message).action == action
