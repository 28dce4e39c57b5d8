"""Issue 9, case 5: an "every upcoming meeting" subscription survives the gap between two
series. It lasts a fixed term told at sign-up (ALL_MEETINGS_DAYS from the day the resident
agreed, the end date on the form) and stated on the privacy page in both languages; its
last message says it has ended and how to sign up again; then it is deleted like any other."""

import re
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from outreach.celery import app
from reminders import services, tasks
from reminders.enums import DeliveryStatus, SkipReason, SubscriptionStatus
from reminders.models import Delivery, Subscription
from reminders.retention import purge_expired
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory
from tests.reminders.test_resident_flow import ask, url

pytestmark = pytest.mark.django_db

FEBRUARY = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
APRIL = datetime(2027, 4, 7, 18, 30, tzinfo=CHICAGO)
SIGNED_UP = datetime(2027, 2, 1, 9, 0, tzinfo=CHICAGO)  # frozen_now
TERM_ENDS = SIGNED_UP + timedelta(days=180)  # Saturday 31 July 2027


def sign_up_for_every_meeting(client, meeting, committed, sms_outbox, language="es") -> None:
    with committed():
        page = ask(client, meeting, language, phone="7135550134", scope="all")["Location"]
    code = re.search(r"\d{6}", sms_outbox()[-1]["body"]).group(0)
    with committed():
        client.post(page, {"code": code})
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED


def test_every_meeting_reminders_survive_the_gap_between_two_series(
    client, frozen_now, committed, sms_outbox
):
    february = MeetingFactory(starts_at=FEBRUARY)
    sign_up_for_every_meeting(client, february, committed, sms_outbox)

    for night in range(1, 60):  # the nightly clean-up through a two-month gap
        frozen_now.move_to(datetime(2027, 2, 4, 3, 30, tzinfo=CHICAGO) + timedelta(days=night))
        purge_expired()
    assert Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED).exists()

    april = MeetingFactory(starts_at=APRIL)  # the next series is scheduled
    services.plan_meeting(april)
    frozen_now.move_to(APRIL - timedelta(hours=23))
    call_command("send_due_reminders", verbosity=0)
    assert sms_outbox()[-1]["tag"].startswith("reminder_24h")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["terminaron", "Policía de Dallas", "https://meetings.example.org/es/"]),
        ("en", ["have ended", "https://meetings.example.org/en/"]),
    ],
)
def test_the_term_ends_with_a_last_message_then_the_number_is_deleted(
    client, frozen_now, committed, sms_outbox, language, words
):
    sign_up_for_every_meeting(
        client, MeetingFactory(starts_at=FEBRUARY), committed, sms_outbox, language
    )
    later = MeetingFactory(starts_at=TERM_ENDS + timedelta(days=4))
    services.plan_meeting(later)

    frozen_now.move_to(TERM_ENDS - timedelta(hours=1))
    with committed():
        assert tasks.end_all_meetings_terms.delay().get() == 0  # not yet
    frozen_now.move_to(TERM_ENDS.replace(hour=12))  # the daily run, inside the SMS window
    with committed():
        assert tasks.end_all_meetings_terms.delay().get() == 1
    last = sms_outbox()[-1]
    assert last["tag"].startswith("ending")
    for word in words:
        assert word in last["body"]
    assert Subscription.objects.get().status == SubscriptionStatus.STOPPED
    skipped = Delivery.objects.get(meeting=later, kind="reminder_24h")
    assert (skipped.status, skipped.last_error) == (DeliveryStatus.SKIPPED, SkipReason.TERM_ENDED)

    with committed():
        tasks.end_all_meetings_terms.delay()  # the next day's run sends nothing more
    assert sms_outbox()[-1] == last
    frozen_now.move_to(later.ends_at + timedelta(days=8))
    purge_expired()
    assert not Subscription.objects.exists()


def test_the_daily_run_is_at_noon_inside_the_sms_window():
    entry = app.conf.beat_schedule["reminders-end-all-meetings-terms"]
    assert entry["task"] == "reminders.end_all_meetings_terms"
    assert entry["schedule"].hour == {12}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "duran 180 días, hasta el sábado, 31 de julio de 2027"),
        ("en", "last 180 days, until Saturday, July 31, 2027"),
    ],
)
def test_the_sign_up_form_tells_when_every_meeting_reminders_end(
    client, frozen_now, language, text
):
    meeting = MeetingFactory(starts_at=FEBRUARY)
    page = client.get(url(language, "meetings:detail", slug=meeting.slug)).content.decode()
    assert text in " ".join(page.split())


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "los recordatorios duran 180 días desde el día en que se inscribió"),
        ("en", "the reminders last 180 days from the day you signed up"),
    ],
)
def test_the_privacy_page_states_the_rule(client, language, text):
    page = client.get(url(language, "meetings:privacy")).content.decode()
    assert text in " ".join(page.split())


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_last_text_fits_in_three_parts(settings, language):
    from reminders import messages

    settings.SITE_URL = "https://reuniones.policiadedallas.example.org"

    def build() -> dict:
        return {"days": 180, "signup_url": settings.SITE_URL + f"/{language}/"}

    sms = messages.render("ending", language, build, sms_only=True).sms
    assert messages.sms_segments(sms) <= messages.MAX_SMS_SEGMENTS


def test_signing_up_again_for_every_meeting_starts_a_new_term(
    client, frozen_now, committed, sms_outbox
):
    meeting = MeetingFactory(starts_at=TERM_ENDS + timedelta(days=20))
    sign_up_for_every_meeting(client, meeting, committed, sms_outbox)
    frozen_now.move_to(TERM_ENDS - timedelta(days=3))  # the form now says a later end date
    sign_up_for_every_meeting(client, meeting, committed, sms_outbox)
    frozen_now.move_to(TERM_ENDS.replace(hour=12))
    assert services.end_all_meetings_terms() == 0
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED
