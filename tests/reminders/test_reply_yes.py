"""Reply to a reminder: the day-before text asks "¿Piensa venir? Responda SÍ"; a YES counts
the resident in for that meeting, once, with no record of who beyond what stops a double
count. YES and SÍ are also START words: from a number that texted STOP they opt back in.
Every request is signed with twilio's RequestValidator (test_webhooks.signed_post)."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from reminders import services
from reminders.enums import SubscriptionStatus
from reminders.models import PlanToGo, Suppression
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory
from tests.reminders.test_webhooks import PHONE, TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


@pytest.fixture
def reminded(frozen_now, sms_outbox):
    """Rosa signed up for Wednesday's meeting; its day-before reminder went out Tuesday."""

    def remind(language="es", also=None):
        meeting = MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))
        subscription = SubscriptionFactory(contact=PHONE, language=language, meeting=meeting)
        services.plan_for_subscription(subscription)
        if also:
            other = SubscriptionFactory(contact=also[1], language=also[0], meeting=meeting)
            services.plan_for_subscription(other)
        frozen_now.move_to(meeting.starts_at - timedelta(hours=23, minutes=59))
        call_command("send_due_reminders")
        subscription.refresh_from_db()
        assert subscription.last_reminded_meeting == meeting
        return subscription

    return remind


def going(meeting) -> int:
    meeting.refresh_from_db()
    return meeting.planned_attendance


@pytest.mark.parametrize("body", ["SI", "Sí", "¡sí!", "si."])
def test_rosa_replies_si_to_the_reminder_and_is_counted_once(client, reminded, body):
    subscription = reminded("es")

    answer = reply_of(text_us(client, body))

    assert answer == (
        "Policía de Dallas: Gracias por avisarnos. "
        "Nos vemos en la reunión del miércoles 3 de febrero, 6:30 p. m. "
        "Responda ALTO para no recibir más."
    )
    assert going(subscription.meeting) == 1
    # A second SÍ thanks again but does not count twice.
    assert reply_of(text_us(client, "SÍ")) == answer
    assert going(subscription.meeting) == 1
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_john_replies_yes_in_english(client, reminded):
    subscription = reminded("en")
    answer = reply_of(text_us(client, "yes"))
    assert answer.startswith(
        "Dallas Police: Thank you for letting us know. See you at the meeting on Wednesday"
    )
    assert going(subscription.meeting) == 1


def test_the_day_before_reminder_asks_the_question(client, reminded, sms_outbox):
    reminded("es", also=("en", "+17135550123"))
    bodies = sorted((message["body"] for message in sms_outbox()), reverse=True)
    assert bodies[0].endswith("¿Piensa venir? Responda SÍ. Responda ALTO para no recibir más.")
    assert bodies[1].endswith("Planning to come? Reply YES. Reply STOP to opt out.")


def test_two_residents_count_two_and_no_one_is_named(client, reminded):
    first = reminded("es", also=("es", "+17135550123"))
    text_us(client, "si")
    text_us(client, "si", sender="+17135550123")
    assert going(first.meeting) == 2


def test_the_record_goes_with_the_subscription_and_the_count_stays(client, reminded):
    subscription = reminded("es")
    text_us(client, "si")
    assert PlanToGo.objects.count() == 1
    subscription.delete()
    assert not PlanToGo.objects.exists()
    assert going(subscription.meeting) == 1


def test_yes_after_the_meeting_is_over_counts_nothing(client, reminded, frozen_now):
    subscription = reminded("es")
    frozen_now.move_to(subscription.meeting.ends_at + timedelta(minutes=1))
    # Never stopped: nothing to opt back into; the help text says where help is.
    assert "911" in reply_of(text_us(client, "SÍ"))
    assert going(subscription.meeting) == 0


def test_yes_from_a_stopped_number_is_an_opt_in_not_a_count(client, reminded):
    subscription = reminded("es")
    text_us(client, "ALTO")

    answer = reply_of(text_us(client, "Sí"))

    assert "Puede volver a recibir" in answer
    assert not Suppression.objects.exists()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert going(subscription.meeting) == 0


def test_yes_with_no_reminder_sent_counts_nothing(client, frozen_now):
    SubscriptionFactory(contact=PHONE, language="en")
    assert "You can get our reminders again" not in reply_of(text_us(client, "YES"))
    assert not PlanToGo.objects.exists()


def test_staff_see_the_count_on_the_dashboard_with_the_pages_button(client, reminded, staff_client):
    subscription = reminded("es")
    meeting = subscription.meeting
    meeting.planned_attendance = 4  # four taps of "I plan to go" on the page
    meeting.save(update_fields=["planned_attendance"])
    text_us(client, "si")
    page = staff_client.get(reverse("admin:meetings_meeting_dashboard"))
    assert page.status_code == 200
    assert ">5</td></tr>" in page.content.decode()  # the "plan to go" cell, last
