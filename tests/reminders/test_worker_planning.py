"""A real Celery worker on Redis and PostgreSQL plans staff changes after they commit, and
beat's dispatcher plans a change whose task never reached it (issue 9, case 8)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from reminders import services, tasks
from reminders.enums import Kind
from reminders.models import Delivery
from reminders.notify.outbox import read_outbox
from tests.factories import MeetingFactory, SubscriptionFactory

# The real worker and its settings, shared with the send tests.
from tests.reminders.test_worker import (  # noqa: F401
    _send_window_is_the_whole_day,
    pytestmark,
    real_broker,
    wait_for,
    worker,
    worker_env,
)


def sent_kinds(settings) -> list[str]:
    return [m["tag"].split("-")[0] for m in read_outbox(settings.REMINDERS_OUTBOX_DIR)]


@pytest.mark.usefixtures("worker")
def test_a_real_worker_plans_a_staff_cancellation_after_it_commits(settings):
    SubscriptionFactory(meeting=None)  # every upcoming meeting
    with transaction.atomic():  # the staff request
        meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=3))
        assert not Delivery.objects.exists()
    wait_for(lambda: Delivery.objects.filter(meeting=meeting).count() == 2)  # two reminders
    with transaction.atomic():
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
        assert not Delivery.objects.filter(kind=Kind.CANCELLED).exists()
    wait_for(lambda: sent_kinds(settings) == [Kind.CANCELLED])


@pytest.mark.usefixtures("worker")
def test_a_change_whose_task_was_lost_is_sent_after_the_next_dispatcher_pass(settings):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=3))
    services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)  # no task
    tasks.dispatch_due.delay()  # what beat sends every minute
    wait_for(lambda: sent_kinds(settings) == [Kind.CANCELLED])
