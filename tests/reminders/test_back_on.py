"""A cancellation undone the same day: those told "cancelled" hear once that it is back on, a
cancellation notice not yet sent never goes out, texts keep quiet hours, reminders resume."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from meetings.enums import MeetingStatus
from reminders import services
from reminders.enums import Channel, DeliveryStatus, Kind
from reminders.models import Delivery
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 2, day, hour, minute, tzinfo=CHICAGO)


def kinds(outbox) -> list[str]:
    return [message["tag"].split("-")[0] for message in outbox()]


def send_due_at(traveller, moment: datetime) -> None:
    traveller.move_to(moment)
    call_command("send_due_reminders", verbosity=0)


@pytest.fixture
def meeting(frozen_now):
    """Wednesday evening; a Spanish and an English texter and an English email subscriber."""
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    SubscriptionFactory(meeting=meeting, language="es", contact="+17135550201")
    SubscriptionFactory(meeting=meeting, language="en", contact="+17135550202")
    SubscriptionFactory(
        meeting=meeting, channel=Channel.EMAIL, language="en", contact="ana@example.org"
    )
    services.plan_meeting(meeting)
    return meeting


def set_status(meeting, status: str, committed) -> None:
    """What the staff cancel and undo actions do: save the status; the engine reacts."""
    with committed():
        meeting.status = status
        meeting.save()


def test_undo_tells_each_subscriber_once_in_their_language(
    meeting, frozen_now, sms_outbox, committed
):
    set_status(meeting, MeetingStatus.CANCELLED, committed)
    set_status(meeting, MeetingStatus.SCHEDULED, committed)
    assert kinds(sms_outbox) == ["cancelled", "cancelled", "back_on", "back_on"]
    spanish, english = sorted(sms_outbox()[2:], key=lambda m: m["to"])
    assert "SÍ HAY REUNIÓN" in spanish["body"] and "miércoles 3 de febrero" in spanish["body"]
    assert "ALTO" in spanish["body"] and "/es/m/" in spanish["body"]
    assert "the meeting IS ON" in english["body"] and "Wednesday" in english["body"]
    assert "STOP" in english["body"] and "/en/m/" in english["body"]
    email = mail.outbox[-1]
    assert email.subject.startswith("Back on:") and "no longer cancelled" in email.body
    send_due_at(frozen_now, at(1, 12, 0))  # another dispatcher pass sends nothing again
    assert kinds(sms_outbox).count("back_on") == 2
    assert Delivery.objects.filter(kind=Kind.BACK_ON, status=DeliveryStatus.SENT).count() == 3


def test_reminders_resume_after_the_undo(meeting, frozen_now, sms_outbox, committed):
    set_status(meeting, MeetingStatus.CANCELLED, committed)
    set_status(meeting, MeetingStatus.SCHEDULED, committed)
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=24))
    send_due_at(frozen_now, WEDNESDAY_EVENING - timedelta(hours=2))
    assert kinds(sms_outbox)[4:] == ["reminder_24h"] * 2 + ["reminder_2h"] * 2


def test_texters_whose_cancellation_text_was_still_held_hear_nothing_of_the_undo(
    meeting, frozen_now, sms_outbox, committed
):
    """Cancelled at 20:30 (texts wait until 09:00), undone at 21:15: the held cancellation
    texts are dropped, and nobody gets "not cancelled after all" about a cancellation they
    never heard of (the outreach officer's audit saw exactly that). The email subscriber,
    told at once, hears both."""
    frozen_now.move_to(at(1, 20, 30))  # Monday evening, texts wait until 09:00
    set_status(meeting, MeetingStatus.CANCELLED, committed)
    frozen_now.move_to(at(1, 21, 15))
    set_status(meeting, MeetingStatus.SCHEDULED, committed)
    assert not Delivery.objects.filter(kind=Kind.BACK_ON, channel=Channel.SMS).exists()
    held = Delivery.objects.filter(kind=Kind.CANCELLED, channel=Channel.SMS)
    assert set(held.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}
    send_due_at(frozen_now, at(2, 9, 0))
    assert kinds(sms_outbox) == []
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Cancelled", "Back on"]


def test_only_those_told_of_the_cancellation_hear_it_is_back_on(
    meeting, frozen_now, sms_outbox, committed
):
    set_status(meeting, MeetingStatus.CANCELLED, committed)
    newcomer = SubscriptionFactory(meeting=meeting, contact="+17135550209")
    set_status(meeting, MeetingStatus.SCHEDULED, committed)
    assert not Delivery.objects.filter(subscription=newcomer, kind=Kind.BACK_ON).exists()
    assert Delivery.objects.filter(subscription=newcomer, kind=Kind.REMINDER_2H).exists()


def test_cancelled_again_then_undone_again_tells_once_per_undo(
    meeting, frozen_now, sms_outbox, committed
):
    for _round in range(2):
        set_status(meeting, MeetingStatus.CANCELLED, committed)
        set_status(meeting, MeetingStatus.SCHEDULED, committed)
    assert kinds(sms_outbox) == ["cancelled", "cancelled", "back_on", "back_on"] * 2


def test_a_back_on_text_still_held_is_dropped_if_cancelled_again(
    meeting, frozen_now, sms_outbox, committed
):
    set_status(meeting, MeetingStatus.CANCELLED, committed)  # Monday 09:00: texted at once
    frozen_now.move_to(at(1, 20, 30))
    set_status(meeting, MeetingStatus.SCHEDULED, committed)  # the back-on text waits
    set_status(meeting, MeetingStatus.CANCELLED, committed)
    send_due_at(frozen_now, at(2, 9, 0))
    assert kinds(sms_outbox) == ["cancelled", "cancelled", "cancelled", "cancelled"]
