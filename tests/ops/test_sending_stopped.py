"""When no worker or scheduler is running, reminders wait without a word: staff and the
operator must see it. A staff member opening the admin sees how many messages are late and
what to do; /healthz tells the operator when the dispatcher last ran."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from reminders.models import Delivery
from reminders.services import plan_for_subscription
from reminders.tasks import dispatch_due
from tests.factories import CHICAGO, MeetingFactory, SubscriptionFactory

# Wednesday 3 February 2027, 18:30 in Chicago; the day-before reminder was due at 18:30 the 2nd.
MEETING_AT = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


@pytest.fixture
def late_reminder(db):
    """A subscriber whose day-before reminder came due while nothing was sending."""
    with time_machine.travel(datetime(2027, 2, 1, 10, 0, tzinfo=CHICAGO), tick=False):
        meeting = MeetingFactory(starts_at=MEETING_AT, ends_at=MEETING_AT + timedelta(hours=2))
        plan_for_subscription(SubscriptionFactory(meeting=meeting))
    return meeting


def admin_index(client, staff, language):
    client.force_login(staff)  # at the travelled time: a session from today would have expired
    with translation.override(language):
        return client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", "Los recordatorios no están saliendo"),
        ("en", "Reminders are not going out"),
    ],
)
def test_staff_see_late_messages_when_no_worker_is_sending(
    late_reminder, client, outreach_staff, language, words
):
    with time_machine.travel(datetime(2027, 2, 2, 19, 0, tzinfo=CHICAGO), tick=False):
        page = admin_index(client, outreach_staff, language)
    assert 'id="sending-stopped"' in page
    assert words in page
    assert Delivery.objects.filter(status="pending").count() >= 1


def test_no_warning_while_messages_are_not_yet_late(late_reminder, client, outreach_staff):
    with time_machine.travel(datetime(2027, 2, 2, 18, 35, tzinfo=CHICAGO), tick=False):
        page = admin_index(client, outreach_staff, "en")
    assert 'id="sending-stopped"' not in page  # due 5 minutes ago: the next pass takes it


def test_warning_goes_once_the_dispatcher_runs_again(
    late_reminder, client, outreach_staff, run_after_commit
):
    with time_machine.travel(datetime(2027, 2, 2, 19, 0, tzinfo=CHICAGO), tick=False):
        dispatch_due.apply()  # as beat and a worker run it (sends inline: run_after_commit)
        page = admin_index(client, outreach_staff, "en")
    assert 'id="sending-stopped"' not in page


@pytest.mark.django_db
def test_healthz_says_when_the_dispatcher_last_ran(client):
    start = datetime(2027, 2, 2, 12, 0, tzinfo=CHICAGO)
    with time_machine.travel(start, tick=False):
        never = json.loads(client.get("/healthz").content)
        dispatch_due.apply()
        fresh = json.loads(client.get("/healthz").content)
    with time_machine.travel(start + timedelta(minutes=12), tick=False):
        late = client.get("/healthz")
    assert never["dispatcher"] == {"state": "unknown", "last_run_seconds_ago": None}
    assert fresh["dispatcher"] == {"state": "ok", "last_run_seconds_ago": 0}
    assert json.loads(late.content)["dispatcher"] == {"state": "late", "last_run_seconds_ago": 720}
    # The web instance itself is fine: a load balancer must not take it out of rotation.
    assert late.status_code == 200


@pytest.mark.django_db
def test_no_run_on_record_turns_late_after_ten_minutes_and_healthz_keeps_its_shape(
    client, settings
):
    # The operator's audit: Redis restarted empty while beat was dead, and /healthz said
    # "unknown" for good, so an alert on "late" never fired.
    start = datetime(2027, 2, 2, 12, 0, tzinfo=CHICAGO)
    with time_machine.travel(start, tick=False):
        first = json.loads(client.get("/healthz").content)["dispatcher"]
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        later = json.loads(client.get("/healthz").content)["dispatcher"]
    assert first["state"] == "unknown"
    assert later == {"state": "late", "last_run_seconds_ago": None}
