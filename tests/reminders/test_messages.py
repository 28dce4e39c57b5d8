"""What residents receive: short, self-contained, in their language, within three SMS parts."""

import pytest
from django.core.management import call_command

from meetings.models import Meeting
from reminders import messages

pytestmark = pytest.mark.django_db

SMS_KINDS = [
    "reminder_3d",
    "reminder_24h",
    "reminder_2h",
    "cancelled",
    "changed",
    "back_on",
    "welcome",
    "confirm",
]


def test_gsm7_text_fits_160_characters_and_splits_at_153():
    assert messages.sms_segments("a" * 160) == 1
    assert messages.sms_segments("a" * 161) == 2
    assert messages.sms_segments("ñ¿¡é" * 40) == 1  # all in the GSM-7 alphabet
    assert messages.sms_segments("[" * 81) == 2  # extension characters count twice


def test_one_accent_outside_gsm7_makes_the_whole_message_ucs2():
    assert messages.sms_segments("reunión" + "a" * 63) == 1
    assert messages.sms_segments("reunión" + "a" * 64) == 2
    assert messages.sms_segments("ó" * 134) == 2
    assert messages.sms_segments("ó" * 135) == 3


def test_sms_cleaning_removes_stray_spaces_but_keeps_accents():
    text = messages.sms_clean("6:30\xa0p.\u202fm. – reunión\n  en  San José")
    assert text == "6:30 p. m. - reunión en San José"


@pytest.mark.parametrize("language", ["es", "en", "vi", "ar"])
def test_every_demo_message_fits_in_three_sms_parts(frozen_now, settings, language):
    # Vietnamese and Arabic are UCS-2 (67 units a part), like Spanish with an accent.
    if language not in dict(settings.LANGUAGES):
        settings.LANGUAGES = [*settings.LANGUAGES, (language, language)]
    call_command("seed_demo", verbosity=0)
    meetings = Meeting.objects.select_related("venue")
    assert meetings.count() >= 10
    for meeting in meetings:
        for kind in SMS_KINDS:

            def build(meeting=meeting) -> dict:
                return {**messages.meeting_context(meeting), "code": "123456"}

            sms = messages.render(kind, language, build, sms_only=True).sms
            assert messages.sms_segments(sms) <= 3, (kind, len(sms), sms)
            if language in {"vi", "ar"}:  # counted as UCS-2 by the real GSM 03.38 encoder
                with pytest.raises(UnicodeEncodeError):
                    sms.encode("gsm03.38")
            if kind.startswith("reminder"):
                assert f"https://meetings.example.org/{language}/m/{meeting.pk}" in sms
                assert ("ALTO" if language == "es" else "STOP") in sms


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_very_long_venue_name_is_shortened_so_the_text_still_fits(language):
    from datetime import datetime

    from tests.conftest import CHICAGO
    from tests.factories import MeetingFactory, VenueFactory

    venue = VenueFactory(
        name="Iglesia Evangélica Pentecostés Misionera Internacional Fuente de Vida y Esperanza "
        "del Segundo Distrito de la Ciudad",
        street_address="4100 Fulton St",
    )
    # The longest Spanish date of the year: "miércoles 29 de septiembre".
    meeting = MeetingFactory(venue=venue, starts_at=datetime(2027, 9, 29, 18, 30, tzinfo=CHICAGO))
    for kind in ["reminder_3d", "reminder_24h", "reminder_2h", "changed", "back_on"]:
        sms = messages.render(
            kind, language, lambda: messages.meeting_context(meeting), sms_only=True
        ).sms
        assert messages.sms_segments(sms) <= messages.MAX_SMS_SEGMENTS, (kind, sms)
        if kind == "reminder_3d" and language == "es":
            # Planning a visit, "Gratis" matters more than the name (tests/reminders/
            # test_plan_your_visit_text.py): a cut name, or none when both do not fit.
            assert "Gratis" in sms and venue.name not in sms
        elif language == "es":  # UCS-2 (67 a part): the name is cut, still recognisable
            assert "Iglesia" in sms and venue.name not in sms and "..." in sms
        else:  # GSM-7 (153 a part): the whole name fits
            assert venue.name in sms
        assert venue.street_address in sms
        assert f"/{language}/m/{meeting.pk}" in sms


def test_spanish_reminders_keep_their_accents(frozen_now):
    call_command("seed_demo", verbosity=0)
    meeting = Meeting.objects.filter(starts_at__week_day=4).first()  # a Wednesday
    sms = messages.render(
        "reminder_24h", "es", lambda: messages.meeting_context(meeting), sms_only=True
    ).sms
    assert "miércoles" in sms


@pytest.mark.parametrize(
    ("language", "words"), [("es", "Reunión comunitaria"), ("en", "Community")]
)
def test_an_email_has_text_and_html_in_the_recipients_language(frozen_now, language, words):
    call_command("seed_demo", verbosity=0)
    meeting = Meeting.objects.first()

    def build() -> dict:
        return {**messages.meeting_context(meeting), "unsubscribe_url": "https://x/stop"}

    rendered = messages.render("reminder_24h", language, build)
    assert words in rendered.text and words in rendered.html
    assert "https://x/stop" in rendered.text and 'href="https://x/stop"' in rendered.html
    assert "\n" not in rendered.subject


def test_a_four_digit_meeting_number_and_a_long_address_still_fit_three_parts():
    """Found when the suite's meeting ids passed 1,000: the Spanish change notice took four
    parts with the venue already at its usual shortest. The venue gives way further."""
    from datetime import datetime

    from tests.conftest import CHICAGO
    from tests.factories import MeetingFactory, VenueFactory

    venue = VenueFactory(name="Iglesia San José", street_address="1400 W Jefferson Blvd")
    meeting = MeetingFactory(
        pk=10320, venue=venue, starts_at=datetime(2027, 12, 15, 18, 30, tzinfo=CHICAGO)
    )
    for kind in ["reminder_3d", "reminder_24h", "reminder_2h", "changed", "back_on", "cancelled"]:
        sms = messages.render(
            kind, "es", lambda: messages.meeting_context(meeting), sms_only=True
        ).sms
        assert messages.sms_segments(sms) <= messages.MAX_SMS_SEGMENTS, (kind, len(sms), sms)
        assert kind == "cancelled" or "1400 W Jefferson Blvd" in sms
