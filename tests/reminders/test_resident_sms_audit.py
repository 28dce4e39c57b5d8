"""What an independent resident audit found by texting the site's number (María in Spanish,
Minh in Vietnamese, Yusuf in Arabic): a SÍ counted for the wrong meeting, a near keyword
answered uselessly, native YES/ALL words not understood, a HELP reply too long, two ways to
opt back in, a thanks that did not say how to stop. Every request is signed with twilio's
own RequestValidator (tests/reminders/test_webhooks.py: signed_post); clock pinned."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from reminders import messages, services
from reminders.models import PlanToGo
from tests.conftest import CHICAGO, FOUR_LANGUAGES
from tests.factories import MeetingFactory, SubscriptionFactory, VenueFactory
from tests.reminders.test_join_words import texts_of
from tests.reminders.test_webhooks import PHONE, TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db

FOUR = FOUR_LANGUAGES
CODES = [code for code, _name in FOUR]


@pytest.fixture(autouse=True)
def _four_languages(settings):
    settings.LANGUAGES = FOUR
    settings.TWILIO_AUTH_TOKEN = TOKEN


def fits(text: str) -> bool:
    return messages.sms_segments(text) <= messages.MAX_SMS_SEGMENTS


def chicago(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=CHICAGO)


# --- 1. A SÍ counts for the reminder that asked ---------------------------------------------


@pytest.fixture
def thursday_then_saturday(sms_outbox):
    """María gets reminders of every meeting. On Wednesday 2 December the day-before text of
    Thursday's meeting asks "¿Piensa venir?"; minutes later the "plan your visit" text of
    Saturday's meeting (which asks nothing) goes out."""
    with time_machine.travel(chicago(2, 9, 0), tick=False) as clock:
        thursday = MeetingFactory(
            venue=VenueFactory(name="Iglesia San José"), starts_at=chicago(3, 15, 10)
        )
        saturday = MeetingFactory(
            venue=VenueFactory(name="Centro Bachman"), starts_at=chicago(5, 15, 16)
        )
        subscription = SubscriptionFactory(contact=PHONE, language="es", meeting=None)
        services.plan_for_subscription(subscription)
        clock.move_to(chicago(2, 15, 11))
        call_command("send_due_reminders")
        clock.move_to(chicago(2, 15, 17))
        call_command("send_due_reminders")
        yield clock, thursday, saturday


def test_maria_si_counts_for_thursday_whose_text_asked_not_saturdays_plan_text(
    client, thursday_then_saturday, sms_outbox
):
    _clock, thursday, saturday = thursday_then_saturday
    bodies = [message["body"] for message in sms_outbox()]
    assert len(bodies) == 2
    assert "¿Piensa venir?" in bodies[0] and "jueves 3 de diciembre" in bodies[0]
    assert "sábado 5 de diciembre" in bodies[1] and "¿Piensa venir?" not in bodies[1]

    answer = reply_of(text_us(client, "SÍ"))

    assert "jueves 3 de diciembre, 3:10 p. m." in answer
    thursday.refresh_from_db()
    saturday.refresh_from_db()
    assert (thursday.planned_attendance, saturday.planned_attendance) == (1, 0)
    assert PlanToGo.objects.get().meeting == thursday


# --- 2. A text that is almost a keyword -----------------------------------------------------


@pytest.fixture
def meetings():
    with time_machine.travel(chicago(2, 10, 0), tick=False):
        yield [
            MeetingFactory(
                venue=VenueFactory(name="Iglesia San José"), starts_at=chicago(3, 18, 30)
            ),
            MeetingFactory(venue=VenueFactory(name="Centro Bachman"), starts_at=chicago(5, 15, 16)),
        ]


@pytest.mark.parametrize(
    ("body", "opening", "keyword"),
    [
        ("Reunion por favor", "Policía de Dallas: Próximas reuniones: ", "reunion"),
        ("Reunión, por favor", "Policía de Dallas: Próximas reuniones: ", "reunion"),
        ("Meeting please", "Dallas Police: Next meetings: ", "meeting"),
        ("họp nhé", "Cảnh sát Dallas: Các buổi họp tới: ", "hop"),
        ("اجتماع من فضلك", "شرطة دالاس: ", "اجتماع"),
    ],
)
def test_a_join_keyword_as_the_first_word_gets_the_offer(client, meetings, body, opening, keyword):
    from reminders.models import JoinOffer

    answer = reply_of(text_us(client, body))

    assert answer.startswith(opening)
    # The keyword is what is kept as the consent page, never the resident's message.
    assert JoinOffer.objects.get().keyword == keyword


@pytest.mark.parametrize("body", ["stop please", "please stop", "alto por favor"])
def test_carrier_words_still_need_the_whole_message(client, meetings, body):
    from reminders.models import Suppression

    text_us(client, body)
    assert not Suppression.objects.exists()


def test_maria_texts_reunon_and_is_told_to_send_reunion(client, meetings):
    SubscriptionFactory(contact=PHONE, language="es", meeting=meetings[0])

    answer = reply_of(text_us(client, "reunon"))

    assert answer == (
        "Policía de Dallas: no entendimos. Para ver las reuniones, envíe REUNION. Nadie lee "
        "las respuestas; para hablar con alguien, llame al 214-555-0142. Emergencias: 911. "
        "Responda ALTO para no recibir más."
    )


@pytest.mark.parametrize("language", CODES)
def test_the_not_understood_reply_names_the_languages_keyword_within_three_parts(language):
    from reminders import join, webhooks
    from reminders.keywords import Action

    text = webhooks.reply(Action.OTHER, language)

    assert join.first_keyword(language) in text
    assert "911" in text and "214-555-0142" in text
    assert fits(text), (messages.sms_segments(text), text)


def test_a_stranger_gets_it_in_the_sites_first_two_languages_each_within_three_parts(
    client, meetings
):
    texts = texts_of(text_us(client, "reunon"))
    assert [("REUNION" in texts[0]), ("MEETING" in texts[1])] == [True, True]
    assert all(fits(text) for text in texts)


# --- 3. Native words for YES and ALL in Vietnamese and Arabic ------------------------------


@pytest.fixture
def reminded_the_day_before(sms_outbox):
    """A subscriber of Thursday's meeting got its day-before text on Wednesday."""

    def remind(language: str):
        with time_machine.travel(chicago(2, 9, 0), tick=False) as clock:
            meeting = MeetingFactory(starts_at=chicago(3, 15, 16))
            subscription = SubscriptionFactory(contact=PHONE, language=language, meeting=meeting)
            services.plan_for_subscription(subscription)
            clock.move_to(chicago(2, 15, 17))
            call_command("send_due_reminders")
        return meeting, sms_outbox()[-1]["body"]

    return remind


@pytest.mark.parametrize(
    ("language", "asks", "body"),
    [("vi", "Trả lời CÓ.", "có"), ("vi", "Trả lời CÓ.", "Co"), ("ar", "أرسلوا نعم.", "نعم")],
)
def test_minh_and_yusuf_answer_the_day_before_text_in_their_own_word(
    client, reminded_the_day_before, language, asks, body
):
    meeting, reminder = reminded_the_day_before(language)
    assert asks in reminder and "YES" not in reminder
    assert fits(reminder)

    with time_machine.travel(chicago(2, 15, 30), tick=False):
        reply_of(text_us(client, body))

    meeting.refresh_from_db()
    assert meeting.planned_attendance == 1


@pytest.mark.parametrize(
    ("keyword", "printed", "answer"),
    [
        ("HOP", "TẤT CẢ", "tất cả"),
        ("hop", "TẤT CẢ", "tat ca"),
        ("اجتماع", "الكل", "الكل"),
        ("اجتماع", "الكل", "كل"),
    ],
)
def test_the_offer_prints_and_understands_the_native_word_for_all(
    client, meetings, keyword, printed, answer
):
    from reminders.models import Subscription

    offer = reply_of(text_us(client, keyword))
    assert printed in offer and "ALL" not in offer

    with time_machine.travel(chicago(2, 10, 5), tick=False):
        reply_of(text_us(client, answer))

    subscription = Subscription.objects.get()
    assert subscription.meeting is None  # every meeting


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_offer_with_no_meeting_prints_the_native_word_for_all(language):
    from django.utils import translation

    from reminders import join

    with translation.override(language):
        text = join.offer_text(any_meeting=False)
    assert "ALL" not in text and fits(text)


# --- 4. HELP within three parts, the address in words ---------------------------------------


@pytest.mark.parametrize(
    ("language", "around"),
    [
        ("es", "Más información: {site}. Responda ALTO"),
        ("en", "More information: {site}. Reply STOP"),
        ("vi", "{site}."),
        ("ar", "{site}."),
    ],
)
@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8101", "https://reuniones.policiadedallas.org"]
)
def test_help_fits_three_parts_with_the_address_in_words(settings, language, around, site_url):
    from reminders import webhooks
    from reminders.keywords import Action

    settings.SITE_URL = site_url
    site = site_url.split("://", 1)[1]

    text = webhooks.reply(Action.HELP, language)

    assert around.format(site=site) in text
    assert fits(text), (messages.sms_segments(text), text)


def test_maria_texts_ayuda_and_gets_one_short_answer_and_the_keyword(client, meetings):
    texts = texts_of(text_us(client, "ayuda"))
    assert texts[0] == (
        "Policía de Dallas: recordatorios de reuniones. Ayuda: llame al 214-555-0142. Puede "
        "haber cargos por mensajes y datos. Más información: meetings.example.org. Responda "
        "ALTO para no recibir más."
    )
    assert all(fits(text) for text in texts)


# --- 5. One word to opt back in: START ------------------------------------------------------


def test_alto_and_reunion_after_alto_both_say_start(client, meetings):
    from reminders.models import Suppression

    SubscriptionFactory(contact=PHONE, language="es", meeting=meetings[0])
    stopped = reply_of(text_us(client, "ALTO"))
    after = reply_of(text_us(client, "REUNION"))

    assert stopped == (
        "Policía de Dallas: No le enviaremos más mensajes. Para volver a recibirlos, "
        "responda START."
    )
    assert "responda START y luego envíe REUNION" in after
    # And START is what works.
    reply_of(text_us(client, "START"))
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("language", CODES)
def test_every_language_names_start_the_same_way_in_both_replies(language):
    from reminders import join, webhooks
    from reminders.keywords import Action

    for text in (webhooks.reply(Action.STOP, language), join.stopped_reply(language)):
        assert "START" in text and fits(text)
        assert not any(word in text for word in ("SÍ", "BẮT ĐẦU", "نعم"))


# --- 6. The thanks says how to stop, with the language's own punctuation --------------------


def test_maria_s_thanks_ends_with_how_to_stop(client, thursday_then_saturday):
    answer = reply_of(text_us(client, "SÍ"))
    assert answer == (
        "Policía de Dallas: Gracias por avisarnos. Nos vemos en la reunión del jueves 3 de "
        "diciembre, 3:10 p. m. Responda ALTO para no recibir más."
    )


@pytest.mark.parametrize(
    ("language", "ending"),
    [
        ("en", "3:16 p.m. Reply STOP to opt out."),
        ("vi", ". Trả lời STOP để ngừng nhận tin."),
        ("ar", ". لإيقاف الرسائل أرسلوا STOP."),
    ],
)
def test_every_thanks_ends_with_a_full_stop_and_how_to_stop(language, ending):
    from reminders import join
    from reminders.models import Subscription

    with time_machine.travel(chicago(2, 9, 0), tick=False):
        meeting = MeetingFactory(starts_at=chicago(5, 15, 16))
    text = join.thanks_reply(Subscription(language=language, last_reminded_meeting=meeting))
    assert text.endswith(ending) and ".." not in text
    assert fits(text)
    if language == "ar":
        assert "، " in text and ", " not in text


# --- 7. Spanish wording: the Mexican number, the consent text -------------------------------


def test_a_mexican_number_is_told_to_choose_email_or_a_us_cell_number():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from reminders import contacts

    with translation.override("es"):
        with pytest.raises(ValidationError) as refused:
            contacts.normalize_phone("+52 55 1234 5678")
        message = refused.value.messages[0]
    assert message.endswith(
        "Elija correo electrónico o escriba un número de celular de los Estados Unidos."
    ), message


def test_the_spanish_privacy_page_says_a_meeting_may_be_put_back_on(client, meetings):
    text = client.get("/es/privacidad/").content.decode()
    assert "se cancele, cambie o se vuelva a programar después de cancelarse" in text
    assert "al final sí se realice" not in text
