"""Staff changes are planned in the worker after commit, never inside the staff request; a
planning task that is lost is caught by the dispatcher's next pass (issue 9, case 8)."""

import threading
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError as KombuOperationalError

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from reminders import services, tasks
from reminders.enums import DeliveryStatus, Kind
from reminders.models import Delivery, MeetingState
from reminders.services.planning import MIRRORED, _snapshot
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory, VenueFactory

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
PLANNING_TABLES = (Delivery._meta.db_table, MeetingState._meta.db_table)


def planning_sql(queries) -> list[str]:
    return [q["sql"] for q in queries if any(table in q["sql"] for table in PLANNING_TABLES)]


def sent_kinds(outbox) -> list[str]:
    return [message["tag"].split("-")[0] for message in outbox()]


@pytest.fixture
def subscribed(db, frozen_now):
    """A meeting on Wednesday evening with one confirmed SMS subscriber, reminders planned."""
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    return meeting


def series_form(venue) -> dict:
    return {
        "title_en": "Meet your officers",
        "title_es": "Conozca a sus oficiales",
        "description_en": "Questions welcome.",
        "description_es": "Puede hacer preguntas.",
        "venues": [venue.pk],
        "venue_order": "every",
        "dates": "\n".join(f"2027-02-{day:02d}" for day in range(3, 27, 2)),  # 12 dates
        "start_time": "18:30",
        "end_time": "20:00",
        "spoken_languages": ["es", "en"],
        "parking": "free_lot",
        "transit": "bus_near",
        "published": "on",
        # The three reminder boxes, ticked by default as the browser sends them.
        "reminder_offsets": ["reminder_3d", "reminder_24h", "reminder_2h"],
        "_confirm": "1",
    }


def test_a_staff_save_of_a_series_plans_nothing_inside_the_request(
    frozen_now, staff_client, django_capture_on_commit_callbacks, run_after_commit
):
    SubscriptionFactory(meeting=None)  # "every upcoming meeting"
    venue = VenueFactory()
    url = reverse("admin:meetings_meeting_series")
    with (
        django_capture_on_commit_callbacks() as after_commit,
        CaptureQueriesContext(connection) as request_queries,
    ):
        response = staff_client.post(url, series_form(venue))
    assert response.status_code == 302
    assert Meeting.objects.filter(venue=venue).count() == 12
    assert planning_sql(request_queries.captured_queries) == []
    assert not Delivery.objects.exists()
    run_after_commit(after_commit)  # the commit: the worker plans each meeting
    planned = Delivery.objects.filter(kind__in=[Kind.REMINDER_24H, Kind.REMINDER_2H])
    assert planned.values("meeting").distinct().count() == 12


def test_a_cancellation_is_planned_in_the_worker_once_the_save_commits(
    subscribed, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        subscribed.status = MeetingStatus.CANCELLED
        subscribed.save()
    assert not Delivery.objects.filter(kind=Kind.CANCELLED).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the worker's own commit
        for callback in after_commit:
            callback()
    assert sent_kinds(sms_outbox) == ["cancelled"]


def test_a_lost_planning_task_is_caught_by_the_next_dispatcher_pass(
    subscribed, sms_outbox, committed
):
    later = WEDNESDAY_EVENING + timedelta(days=1)
    subscribed.starts_at, subscribed.ends_at = later, later + timedelta(hours=1)
    subscribed.save()  # the test's transaction never commits: the planning task never runs
    assert sms_outbox() == []
    assert settings.CELERY_BEAT_SCHEDULE["reminders-dispatch"]["schedule"] <= 60
    with committed():  # the dispatcher's pass, and the one its planned notice queues
        tasks.dispatch_due()  # beat, within the minute
    assert sent_kinds(sms_outbox) == ["changed"]
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    # All three reminders for the new time (three days before Thursday evening is still ahead).
    assert {d.due_at for d in pending} == {
        later - timedelta(days=3),
        later - timedelta(hours=24),
        later - timedelta(hours=2),
    }


def test_a_broker_down_at_commit_fails_neither_the_staff_save_nor_the_residents(
    subscribed, sms_outbox, staff_client, monkeypatch, django_capture_on_commit_callbacks, committed
):
    def broker_down(*args) -> None:
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.meeting_changed, "delay", broker_down)
    cancel = reverse("admin:meetings_meeting_cancel") + f"?ids={subscribed.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(cancel)
    assert response.status_code == 302
    assert Meeting.objects.get(pk=subscribed.pk).status == MeetingStatus.CANCELLED
    assert sms_outbox() == []
    with committed():
        tasks.dispatch_due()  # the broker is back: beat's next pass
    assert sent_kinds(sms_outbox) == ["cancelled"]


def test_a_new_meeting_whose_task_was_lost_gets_its_reminders_from_the_dispatcher(
    frozen_now, sms_outbox
):
    SubscriptionFactory(meeting=None)
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    assert not Delivery.objects.exists()
    tasks.dispatch_due()
    kinds = Delivery.objects.filter(meeting=meeting).values_list("kind", flat=True)
    assert sorted(kinds) == sorted([Kind.REMINDER_24H, Kind.REMINDER_2H])
    assert services.stale_meetings().count() == 0


def test_a_queryset_update_that_skips_the_signals_is_caught_by_the_dispatcher(
    subscribed, sms_outbox, committed
):
    Meeting.objects.filter(pk=subscribed.pk).update(status=MeetingStatus.CANCELLED)
    with committed():
        tasks.dispatch_due()
    assert sent_kinds(sms_outbox) == ["cancelled"]


def test_the_planning_task_run_twice_plans_each_notice_once(subscribed, sms_outbox):
    Meeting.objects.filter(pk=subscribed.pk).update(status=MeetingStatus.CANCELLED)
    tasks.meeting_changed(subscribed.pk)
    tasks.meeting_changed(subscribed.pk)
    tasks.dispatch_due()
    assert Delivery.objects.filter(kind=Kind.CANCELLED).count() == 1
    assert sent_kinds(sms_outbox) == ["cancelled"]


def test_the_dispatcher_claims_what_is_due_before_catching_up_on_changed_meetings(
    subscribed, frozen_now, sms_outbox
):
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=24))  # the day-before reminder
    SubscriptionFactory(meeting=None)
    other = MeetingFactory(starts_at=WEDNESDAY_EVENING + timedelta(days=7))  # task lost
    with CaptureQueriesContext(connection) as queries:
        tasks.dispatch_due()
    sql = [q["sql"] for q in queries.captured_queries]
    claimed = next(n for n, q in enumerate(sql) if q.startswith("UPDATE") and "sending" in q)
    planned = next(n for n, q in enumerate(sql) if q.startswith("INSERT INTO"))
    assert claimed < planned  # no due message waits for the catch-up planning
    assert sent_kinds(sms_outbox) == ["reminder_24h"]
    assert Delivery.objects.filter(meeting=other).count() == 3  # a week ahead: all three


def test_a_meeting_that_cannot_be_planned_does_not_hold_up_the_others(
    frozen_now, monkeypatch, caplog
):
    from reminders.services import planning

    SubscriptionFactory(meeting=None)
    broken, fine = MeetingFactory(), MeetingFactory()
    plan = planning.meeting_changed

    def meeting_changed(meeting_id, now=None):
        if meeting_id == broken.pk:
            raise RuntimeError("a bug in planning")
        return plan(meeting_id, now)

    monkeypatch.setattr(planning, "meeting_changed", meeting_changed)
    assert services.reconcile() == 1
    assert Delivery.objects.filter(meeting=fine).count() == 3  # its three reminders
    assert f"Could not plan meeting {broken.pk}" in caplog.text
    assert list(services.stale_meetings().values_list("pk", flat=True)) == [broken.pk]


def test_meetings_past_before_and_after_a_change_are_not_reconciled(subscribed, frozen_now):
    frozen_now.move_to(WEDNESDAY_EVENING + timedelta(days=2))
    Meeting.objects.filter(pk=subscribed.pk).update(published=False)
    assert services.stale_meetings().count() == 0


def test_the_dispatcher_compares_every_field_reminders_remember(subscribed):
    assert set(MIRRORED) == set(_snapshot(subscribed))


@pytest.mark.django_db(transaction=True)
def test_two_planning_tasks_at_once_bump_the_revision_once(frozen_now, sms_outbox):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    for _ in range(5):
        services.plan_for_subscription(SubscriptionFactory(meeting=meeting))
    later = WEDNESDAY_EVENING + timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=later, ends_at=later + timedelta(hours=1)
    )
    start, errors = threading.Barrier(2), []

    def worker() -> None:
        try:
            start.wait()
            tasks.meeting_changed(meeting.pk)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "postgresql":  # SQLite may refuse the second writer outright
        assert errors == []
    assert MeetingState.objects.get(pk=meeting.pk).revision == 1
    assert Delivery.objects.filter(kind=Kind.CHANGED).count() == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgres" not in settings.DATABASES["default"]["ENGINE"], reason="row locks: PostgreSQL"
)
def test_the_dispatcher_leaves_a_meeting_to_the_worker_planning_it(frozen_now):
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    tasks.meeting_changed(meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    locked, release = threading.Event(), threading.Event()

    def worker_planning() -> None:
        try:
            with transaction.atomic():
                MeetingState.objects.select_for_update().get(pk=meeting.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker_planning)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert services.reconcile() == 0  # skipped at once, not waited for
    finally:
        release.set()
        thread.join()
    assert services.reconcile() == 1
    assert MeetingState.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
