"""The "plan your visit" reminder, three days before: what to expect and the address, from the
same facts as the page and the flyer (meetings/facts.py), within three SMS parts in every
language. Spanish, Vietnamese and Arabic are UCS-2 (201 characters in three parts): the facts
that do not fit give way, the first ("Free") kept, the email has them all."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import translation

from meetings import dates, facts
from meetings.models import Meeting
from reminders import messages
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

FOUR = ["es", "en", "vi", "ar"]
STOP = {
    "es": "Responda ALTO para no recibir más.",
    "en": "Reply STOP to opt out.",
    "vi": "Trả lời STOP để ngừng nhận tin.",
    "ar": "لإيقاف الرسائل أرسلوا STOP.",
}


@pytest.fixture
def four_languages(settings):
    settings.LANGUAGES = [(code, code) for code in FOUR]


def plan_your_visit(meeting: Meeting, language: str) -> messages.Rendered:
    def build() -> dict:
        return {**messages.meeting_context(meeting), "unsubscribe_url": "https://x/stop"}

    return messages.render("reminder_3d", language, build)


def first_fact(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return str(facts.for_visit(meeting)[0])


def says_no_id_asked(sms: str, language: str) -> bool:
    """Resident's audit: "no ID asked" is the line that matters most to a worried resident;
    a text may say it in its short form ("No se pide identificación")."""
    with translation.override(language):
        fact = next(f for f in facts.what_to_expect(MeetingFactory.build()) if f.key == "no_id")
    return fact.text in sms or fact.short in sms


@pytest.mark.parametrize("language", FOUR)
def test_every_demo_plan_your_visit_text_says_no_id_is_asked_and_keeps_the_address(
    frozen_now, four_languages, language
):
    call_command("seed_demo", verbosity=0)
    for meeting in Meeting.objects.select_related("venue"):
        sms = plan_your_visit(meeting, language).sms
        assert messages.sms_segments(sms) <= messages.MAX_SMS_SEGMENTS, (len(sms), sms)
        assert says_no_id_asked(sms, language), sms
        assert meeting.venue.street_address in sms, sms
        assert f"https://meetings.example.org/{language}/m/{meeting.pk}" in sms
        if language != "en":  # counted as UCS-2 by the real GSM 03.38 encoder
            with pytest.raises(UnicodeEncodeError):
                sms.encode("gsm03.38")
        assert sms.endswith(STOP[language]), sms


def longest_evening(language: str) -> datetime:
    """The 18:30 of 2027 whose SMS date is longest in this language ("miércoles 29 de
    septiembre", ...)."""
    first = datetime(2027, 1, 1, 18, 30, tzinfo=CHICAGO)
    evenings = [first + timedelta(days=n) for n in range(365)]
    with translation.override(language):
        return max(evenings, key=lambda moment: len(sms_when(moment)))


def sms_when(moment: datetime) -> str:
    return dates.day_and_time(dates.day_heading(moment), dates.clock(moment))


@pytest.mark.parametrize("language", FOUR)
def test_the_longest_case_still_fits_three_parts_and_keeps_what_matters(four_languages, language):
    """The longest date of the year, a four-digit meeting number, a long venue name and
    address, every fact true: the date, the address, the link, the first fact and how to stop
    stay whole; the venue's name and the other facts give way."""
    venue = VenueFactory(
        name="Iglesia Evangélica Pentecostés Misionera Internacional Fuente de Vida",
        street_address="10056 Marsh Ln Suite 200",
    )
    meeting = MeetingFactory(
        pk=10321,
        venue=venue,
        starts_at=longest_evening(language),
        is_free=True,
        no_id_asked=True,
        interpretation=True,
        children_welcome=True,
    )
    rendered = plan_your_visit(meeting, language)
    sms = rendered.sms
    assert messages.sms_segments(sms) <= messages.MAX_SMS_SEGMENTS, (len(sms), sms)
    with translation.override(language):
        assert sms_when(meeting.starts_at) in sms
        every_fact = [str(fact) for fact in facts.what_to_expect(meeting)]
    assert venue.street_address in sms and f"/{language}/m/10321" in sms
    assert says_no_id_asked(sms, language), sms
    assert sms.endswith(STOP[language]), sms
    # The email gives every "what to expect" fact and the full address.
    for fact in every_fact:
        assert fact in rendered.text, fact
    assert venue.address in rendered.text


def test_the_facts_are_the_pages_and_the_flyers():
    """One source: the flyer's headline (free, no ID, the reader's language or interpretation),
    then children welcome, as meetings/facts.py words them."""
    meeting = MeetingFactory(spoken_languages=["es"], interpretation=True)
    with translation.override("es"):
        assert [str(f) for f in facts.for_visit(meeting)] == [
            "Gratis",
            "No se pide identificación ni estatus migratorio",
            "Se habla español",
            "Niños bienvenidos",
        ]
        top, _others = facts.headline(meeting)
        assert facts.for_visit(meeting)[: len(top)] == top
    with translation.override("en"):  # English not spoken: interpretation
        assert [f.key for f in facts.for_visit(meeting)] == [
            "free",
            "no_id",
            "language",
            "children",
        ]
        assert "Interpretation offered" in [str(f) for f in facts.for_visit(meeting)]


def test_spanish_plan_your_visit_email_says_lo_que_debe_saber(frozen_now):
    call_command("seed_demo", verbosity=0)
    rendered = plan_your_visit(Meeting.objects.select_related("venue").first(), "es")
    assert rendered.subject.startswith("Planee su visita: reunión comunitaria del ")
    assert "lo que debe saber y dónde es" in rendered.text
    assert "lo que debe saber y dónde es" in rendered.html
