"""Issue 13, "text to join, reply to answer", as a resident's audit found it with the site in
four languages: the welcome names the meeting, the offer says where each meeting is, and a
Vietnamese or Arabic reader texts a word of their own language. Every request is signed with
twilio's own RequestValidator (tests/reminders/test_webhooks.py: signed_post); clock pinned."""

from datetime import datetime
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from meetings import flyers
from meetings.models import Meeting
from reminders import crypto, join, messages
from reminders.models import JoinOffer, Subscription
from tests.conftest import CHICAGO, FOUR_LANGUAGES
from tests.factories import MeetingFactory, VenueFactory
from tests.reminders.test_webhooks import PHONE, TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db

FOUR = FOUR_LANGUAGES
CODES = [code for code, _name in FOUR]


@pytest.fixture(autouse=True)
def _four_languages(settings):
    settings.LANGUAGES = FOUR
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_JOIN_NUMBER = "+12145550100"


@pytest.fixture
def meetings(frozen_now):
    """Wednesday 3 and Thursday 4 February 2027, 6:30 p.m., each with its street address."""
    church = VenueFactory(name="Iglesia San José", street_address="1400 W Jefferson Blvd")
    bethel = VenueFactory(name="Familia Bethel Internacional", street_address="3500 W Davis St")
    first = MeetingFactory(venue=church, starts_at=at(2027, 2, 3))
    second = MeetingFactory(venue=bethel, starts_at=at(2027, 2, 4))
    return first, second


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 18, 30, tzinfo=CHICAGO)


def texts_of(response) -> list[str]:
    """Each <Message> of a TwiML reply (reply_of joins them)."""
    reply_of(response)  # the status and content type
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own reply)
    return [message.text or "" for message in root.iter("Message")]


# --- 1. The welcome names the meeting -------------------------------------------------------


def test_maria_answers_1_and_the_welcome_names_her_meeting(client, meetings):
    text_us(client, "Reunión")

    texts = texts_of(text_us(client, "1"))

    assert texts[0] == (
        "Policía de Dallas: Sus recordatorios son para la reunión del miércoles 3 de febrero, "
        "6:30 p. m., Iglesia San José, 1400 W Jefferson Blvd. "
        f"https://meetings.example.org/es/m/{meetings[0].pk}"
    )
    assert texts[1].startswith("Policía de Dallas: Recibirá hasta 3 recordatorios")  # how to stop


def test_john_answers_all_and_the_welcome_names_the_next_meeting_and_every_meeting(
    client, meetings
):
    text_us(client, "meeting")

    first = texts_of(text_us(client, "ALL"))[0]

    assert first == (
        "Dallas Police: You will get reminders for every meeting. The next one: Wednesday, "
        "February 3, 6:30 p.m., Iglesia San José, 1400 W Jefferson Blvd. "
        f"https://meetings.example.org/en/m/{meetings[0].pk}"
    )


def test_all_with_no_meeting_scheduled_still_gets_the_welcome(client, frozen_now):
    text_us(client, "reunion")
    texts = texts_of(text_us(client, "TODAS"))
    assert len(texts) == 1 and texts[0].startswith("Policía de Dallas: Recibirá")


@pytest.mark.parametrize("language", CODES)
def test_every_welcome_names_the_meeting_within_three_parts_for_the_demo(frozen_now, language):
    call_command("seed_demo", verbosity=0)
    demo = list(Meeting.objects.select_related("venue").order_by("starts_at"))
    for number, meeting in enumerate(demo, start=100):
        meeting.pk = number  # three-digit meeting numbers: a site a few years old
        for chosen in (meeting, None):  # 1, then TODAS/ALL
            texts = join.welcome_texts(language, chosen, meeting)
            with translation.override(language), timezone.override("America/Chicago"):
                day = messages.meeting_context(meeting)["sms_when"]
            assert len(texts) == 2
            assert messages.sms_clean(day) in texts[0]
            assert meeting.venue.name[: messages.MIN_VENUE_CHARS] in texts[0]
            for text in texts:
                assert messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS, (len(text), text)


# --- 2. The offer says where each meeting is ------------------------------------------------


def test_the_offer_gives_each_meetings_street(client, meetings):
    answer = reply_of(text_us(client, "REUNION"))
    assert "Iglesia San José, 1400 W Jefferson Blvd; " in answer
    assert "Familia Bethel Internacional, 3500 W Davis St." in answer


@pytest.mark.parametrize("language", CODES)
def test_the_offer_names_two_demo_meetings_with_their_streets_in_three_parts(frozen_now, language):
    """The longest pair of demo meetings in each language (UCS-2 in all but English: 67
    characters a part): both meetings and both streets stay; a long venue name is shortened
    ("Centro Comunitario...") before a meeting is dropped."""
    call_command("seed_demo", verbosity=0)
    demo = list(Meeting.objects.select_related("venue").order_by("starts_at"))
    with translation.override(language), timezone.override("America/Chicago"):
        texts = [join.meetings_text([a, b]) for a, b in zip(demo, demo[1:], strict=False)]
    longest = max(texts, key=len)
    for text, (first, second) in zip(texts, zip(demo, demo[1:], strict=False), strict=True):
        assert messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS, text
        assert first.venue.street_address in text and second.venue.street_address in text
        assert first.venue.name[: messages.MIN_VENUE_CHARS] in text
        assert second.venue.name[: messages.MIN_VENUE_CHARS] in text
    assert messages.sms_segments(longest) <= messages.MAX_SMS_SEGMENTS


# --- 3. Vietnamese and Arabic join words ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "opening"),
    [
        ("HOP", "vi", "Cảnh sát Dallas: Các buổi họp tới: "),
        ("họp", "vi", "Cảnh sát Dallas: Các buổi họp tới: "),
        ("اجتماع", "ar", "شرطة دالاس: "),
    ],
)
def test_a_keyword_in_vietnamese_or_arabic_gets_the_offer_and_1_subscribes_in_it(
    client, meetings, body, language, opening
):
    answer = reply_of(text_us(client, body))

    assert answer.startswith(opening)
    with translation.override(language):
        assert join.offer_text() in answer
    assert JoinOffer.objects.get().language == language

    reply_of(text_us(client, "1"))

    subscription = Subscription.objects.get(contact_digest=crypto.digest(PHONE))
    assert subscription.language == language
    assert subscription.meeting == meetings[0]


def test_the_arabic_offer_separates_its_meetings_with_the_arabic_semicolon(client, meetings):
    answer = reply_of(text_us(client, "اجتماع"))
    assert "؛ " in answer and ";" not in answer


def test_the_english_keyword_works_on_a_four_language_site(client, meetings):
    assert reply_of(text_us(client, "MEETING")).startswith("Dallas Police: Next meetings:")


def test_a_keyword_of_a_language_the_site_does_not_speak_is_answered_in_the_default(
    client, meetings, settings
):
    settings.LANGUAGES = FOUR[:2]
    reply_of(text_us(client, "HOP"))
    assert JoinOffer.objects.get().language == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("es", "¿Sin internet? Envíe REUNION al (214) 555-0100"),
        ("en", "No internet? Text MEETING to (214) 555-0100"),
        ("vi", "Không có internet? Nhắn HOP đến (214) 555-0100"),
        # Right to left: the number is isolated (LRI … PDI) so it stays in one piece.
        ("ar", "لا يوجد إنترنت؟ أرسلوا كلمة «اجتماع» إلى \u2066(214)\u00a0555-0100\u2069"),
    ],
)
def test_each_page_shows_the_keyword_of_its_own_language(client, frozen_now, language, line):
    meeting = MeetingFactory()
    with translation.override(language):
        page = client.get(meeting.get_absolute_url())
    assert line in page.content.decode()


@pytest.mark.parametrize(("language", "keyword"), [("vi", "HOP"), ("ar", "اجتماع")])
def test_a_flyer_in_vietnamese_or_arabic_prints_that_languages_keyword(language, keyword):
    assert keyword in flyers.sms_join_line(language)


def test_a_language_with_no_keyword_falls_back_to_the_default_languages(settings):
    settings.SMS_JOIN_KEYWORDS = {**settings.SMS_JOIN_KEYWORDS, "vi": []}
    default_word = settings.SMS_JOIN_KEYWORDS[settings.LANGUAGE_CODE][0].upper()
    assert join.first_keyword("vi") == default_word


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("giúp", "Cảnh sát Dallas: Để xem các buổi họp sắp tới, nhắn HOP."),
        ("مساعدة", "اجتماع"),
    ],
)
def test_help_in_vietnamese_or_arabic_names_that_languages_keyword(client, frozen_now, body, hint):
    assert hint in reply_of(text_us(client, body))
