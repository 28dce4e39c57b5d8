"""The staff dashboard: next meetings with counts only, and the text still missing."""

from datetime import datetime

import pytest
from django.urls import reverse

from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory
from tests.meetings.test_staff_actions import subscribe

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:meetings_meeting_dashboard"


@pytest.mark.parametrize(
    ("language", "counts", "nothing"),
    [
        ("en", ["SMS in Spanish: 3", "Email in English: 2"], "No messages yet"),
        ("es", ["SMS en español: 3", "Correo electrónico en inglés: 2"], "Todavía no hay mensajes"),
    ],
)
def test_dashboard_counts_subscribers_by_channel_and_language(
    frozen_now, staff_client, language, counts, nothing
):
    meeting = MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))
    MeetingFactory(starts_at=datetime(2027, 2, 4, 18, 30, tzinfo=CHICAGO))  # nobody yet
    subscribe(meeting, "sms", "es", 3)
    subscribe(meeting, "email", "en", 2, start=10)
    html = staff_client.get(reverse(DASHBOARD), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    table = html.split('id="dashboard-meetings"')[1].split("</tbody>")[0]
    first, second = table.split("<tbody>")[1].split("</tr>")[:2]
    # Only what is not zero: one column of counts, not a column per channel and language.
    assert table.split("</thead>")[0].count("<th>") == 6
    for text in counts:
        assert text in first
    assert ": 0<" not in first and first.count("<td>0</td>") <= 1 and nothing in first
    assert "—" in second and nothing in second
    assert "+1713555" not in html and "example.org" not in html


def test_dashboard_counts_sent_and_failed_deliveries(frozen_now, staff_client):
    from reminders.models import Delivery, Subscription

    meeting = MeetingFactory()
    subscribe(meeting, "sms", "es", 3)
    for subscription, status in zip(
        Subscription.objects.all(), ["sent", "sent", "failed"], strict=True
    ):
        Delivery.objects.create(
            subscription=subscription,
            meeting=meeting,
            kind="reminder_24h",
            channel="sms",
            language="es",
            due_at=meeting.starts_at,
            next_try_at=meeting.starts_at,
            status=status,
        )
    html = staff_client.get(reverse(DASHBOARD), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<li>enviados: 2</li>" in html and "<li>fallidos: 1" in html
    assert "Próximas reuniones" in html


def test_dashboard_lists_missing_text_and_is_linked_from_the_admin_home(frozen_now, staff_client):
    MeetingFactory(title_en="Coffee", title_es="Café", description_es="")
    VenueFactory(name="Biblioteca", notes_en="")
    html = staff_client.get(reverse(DASHBOARD), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    missing = html.split('id="dashboard-missing"')[1]
    assert "Café" in missing and "Español: descripción" in missing
    assert "Biblioteca" in missing and "Inglés: notas para los visitantes" in missing
    home = staff_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert reverse(DASHBOARD) in home


def test_without_the_reminders_app_every_count_is_zero(frozen_now):
    from django.test.utils import modify_settings

    from meetings import audience

    meeting = MeetingFactory()
    subscribe(meeting, "sms", "es", 2)
    assert audience.audience(meeting.pk).sms == 2
    with modify_settings(INSTALLED_APPS={"remove": ["reminders"]}):
        counts = audience.audience(meeting.pk)
        assert (counts.total, counts.sent, counts.failed) == (0, 0, 0)


def _dashboard_queries(client, django_assert_max_num_queries, page: int = 1) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(DASHBOARD) + f"?page={page}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("headers", "more"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "Page 2 of 2"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "Página 2 de 2"),
    ],
)
def test_every_upcoming_meeting_is_on_the_dashboard_page_by_page(
    frozen_now, staff_client, headers, more
):
    from datetime import timedelta

    from meetings.staff.dashboard import DASHBOARD_SIZE

    first = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
    venue = VenueFactory()
    for n in range(DASHBOARD_SIZE + 3):
        MeetingFactory(
            venue=venue,
            starts_at=first + timedelta(days=n),
            title_en=f"Talk {n}",
            title_es=f"Talk {n}",
        )
    page1 = staff_client.get(reverse(DASHBOARD), **headers).content.decode()
    page2 = staff_client.get(reverse(DASHBOARD) + "?page=2", **headers).content.decode()
    assert f"Talk {DASHBOARD_SIZE - 1}<" in page1 and f"Talk {DASHBOARD_SIZE}<" not in page1
    assert f"Talk {DASHBOARD_SIZE + 2}<" in page2 and more in page2
    assert "?page=2" in page1


def test_the_dashboard_shows_every_delivery_state_per_meeting(frozen_now, staff_client):
    from reminders.models import Delivery, Subscription

    meeting = MeetingFactory()
    subscribe(meeting, "sms", "es", 5)
    states = ["pending", "sent", "skipped", "failed", "pending"]
    for i, (subscription, status) in enumerate(
        zip(Subscription.objects.all(), states, strict=True)
    ):
        Delivery.objects.create(
            subscription=subscription,
            meeting=meeting,
            kind="reminder_24h",
            channel="sms",
            language="es",
            due_at=meeting.starts_at,
            next_try_at=meeting.starts_at,
            status=status,
            held=i == 4,
        )
    html = staff_client.get(reverse(DASHBOARD), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html.split('id="dashboard-meetings"')[1].split("</tbody>")[0]
    states = ["waiting to go out: 1", "held for quiet hours: 1", "sent: 1", "skipped: 1"]
    for state in [*states, "failed: 1"]:
        assert state in row


def test_the_dashboard_runs_the_same_queries_for_3_or_25_meetings(
    frozen_now, staff_client, django_assert_max_num_queries
):
    from datetime import timedelta

    first = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
    venue = VenueFactory()

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            meeting = MeetingFactory(venue=venue, starts_at=first + timedelta(days=n))
            subscribe(meeting, "sms", "es", 1, start=n * 10)

    add(3, 0)
    few = _dashboard_queries(staff_client, django_assert_max_num_queries)
    add(22, 3)
    many = _dashboard_queries(staff_client, django_assert_max_num_queries)
    assert many == few
