"""What an independent resident audit found by texting the site's number (María in Spanish,
Minh in Vietnamese, Yusuf in Arabic): a SÍ counted for the wrong meeting, a near keyword
answered uselessly, native YES/ALL words not understood, a HELP reply too long, two ways to
opt back in, a thanks that did not say how to stop. Every request is signed with twilio's
own RequestValidator (tests/reminders/test_webhooks.py: signed_post); clock pinned."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from reminders import messages, services
from reminders.models import PlanToGo
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory, VenueFactory
from tests.reminders.test_join_words import texts_of
from tests.reminders.test_webhooks import PHONE, TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db

FOUR = [("es", _("Spanish")), ("en", _("English")), ("vi", _("Vietnamese")), ("ar", _("Arabic"))]
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
