"""Resident's audit: "La reunión empieza pronto: miércoles 2 de diciembre, 5:25 p. m." on the
day itself, and "Reunión comunitaria: jueves 3 de diciembre" the day before: say "hoy" and
"mañana", as a person would."""

from datetime import datetime, timedelta

import pytest

from reminders import messages
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

THURSDAY = datetime(2027, 2, 4, 18, 30, tzinfo=CHICAGO)


def sms(kind: str, language: str, sent_at: datetime) -> str:
    meeting = MeetingFactory(starts_at=THURSDAY)

    def build() -> dict:
        return {**messages.meeting_context(meeting, sent_at), "unsubscribe_url": "https://x/s"}

    return messages.render(kind, language, build, sms_only=True).sms


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "mañana jueves 4 de febrero, 6:30 p. m."), ("en", "tomorrow, Thursday")],
)
def test_the_day_before_text_says_tomorrow(frozen_now, language, words):
    assert words in sms("reminder_24h", language, THURSDAY - timedelta(hours=24))


@pytest.mark.parametrize(("language", "words"), [("es", "hoy, 6:30 p. m."), ("en", "today, 6:30")])
def test_the_two_hour_text_says_today(frozen_now, language, words):
    assert words in sms("reminder_2h", language, THURSDAY - timedelta(hours=2))
