"""Issue 9, case 3: before staff confirm a cancel, a reschedule or an undo, the page says per
channel what will really happen (sent now, held until a time, sent at once outside the usual
hours, not possible); afterwards the meeting's admin page and the dashboard count what is
queued, held, being checked, sent, skipped and failed, with reasons. Counts only, never a
contact; both admin languages; the clock pinned."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reminders import tasks
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory
from tests.meetings.test_staff_actions import cancel_url, subscribe

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def audience(meeting) -> None:
    subscribe(meeting, "sms", "es", 3)
    subscribe(meeting, "email", "en", 2, start=20)
    tasks.meeting_changed(meeting.pk)  # the worker, once the meeting's creation committed


@pytest.fixture
def staff_post(staff_client, django_capture_on_commit_callbacks, run_after_commit):
    """A staff POST, then the worker's planning of the change once it commits."""

    def post(url: str, **headers):
        with django_capture_on_commit_callbacks() as queued:
            response = staff_client.post(url, **headers)
        run_after_commit(queued)
        return response

    return post


def outlook(html: str) -> str:
    """The confirmation page's table (one row per meeting)."""
    return html.split('id="notify-counts"')[1].split("</table>")[0]


@pytest.mark.parametrize(
    ("headers", "sms", "email"),
    [
        (
            EN,
            "Held for quiet hours until 9:00 a.m. on Wednesday, February 3, 2027, then sent.",
            "Sent now.",
        ),
        (
            ES,
            "En espera por el horario permitido para textos hasta las 9:00 a. m. del "
            "miércoles, 3 de febrero de 2027; se envía entonces.",
            "Se envía ahora.",
        ),
    ],
)
def test_a_cancellation_in_the_evening_says_the_texts_wait_until_morning(
    frozen_now, staff_client, headers, sms, email
):
    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30))
    audience(meeting)
    frozen_now.move_to(at(2027, 2, 2, 22, 0))  # Tuesday night, after our 20:00 close
    table = outlook(staff_client.get(cancel_url(meeting), **headers).content.decode())
    assert sms in table and email in table
    assert "<strong>3</strong>" in table and "<strong>2</strong>" in table  # SMS, email


def test_the_held_time_is_the_one_the_engine_keeps(frozen_now, staff_client, staff_post):
    """What the page promised is what the planned rows say."""
    from reminders.models import Delivery

    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30))
    audience(meeting)
    frozen_now.move_to(at(2027, 2, 2, 22, 0))
    staff_post(cancel_url(meeting), **EN)
    texts = Delivery.objects.filter(meeting=meeting, kind="cancelled", channel="sms")
    assert {timezone.localtime(d.next_try_at) for d in texts} == {at(2027, 2, 3, 9, 0)}
    emails = Delivery.objects.filter(meeting=meeting, kind="cancelled", channel="email")
    assert {d.next_try_at for d in emails} == {timezone.now()}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            EN,
            "Sent at once although outside the usual hours, because the meeting starts "
            "before they open.",
        ),
        (
            ES,
            "Se envía de inmediato aunque sea fuera del horario habitual, porque la reunión "
            "empieza antes de que abra ese horario.",
        ),
    ],
)
def test_an_early_sunday_meeting_cancelled_at_night_is_texted_at_once(
    frozen_now, staff_client, headers, expected
):
    meeting = MeetingFactory(starts_at=at(2027, 2, 7, 9, 30))
    audience(meeting)
    frozen_now.move_to(at(2027, 2, 7, 2, 0))  # Sunday 02:00: no window opens before 09:30
    table = outlook(staff_client.get(cancel_url(meeting), **headers).content.decode())
    assert expected in table


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (EN, "Sent now, outside our usual hours for texts but within the legal hours"),
        (ES, "Se envía ahora, fuera de nuestro horario habitual para textos pero dentro del"),
    ],
)
def test_saturday_evening_before_an_early_sunday_meeting_uses_the_legal_hours(
    frozen_now, staff_client, headers, expected
):
    meeting = MeetingFactory(starts_at=at(2027, 2, 7, 9, 30))
    audience(meeting)
    frozen_now.move_to(at(2027, 2, 6, 20, 30))
    table = outlook(staff_client.get(cancel_url(meeting), **headers).content.decode())
    assert expected in table


@pytest.mark.parametrize(
    ("headers", "expected", "summary"),
    [
        (EN, "Not possible: the meeting has started.", "0 subscribers will be told by SMS"),
        (ES, "No es posible: la reunión ya empezó.", "Se avisará a 0 personas inscritas por SMS"),
    ],
)
def test_a_meeting_already_started_cannot_be_announced(
    frozen_now, staff_client, headers, expected, summary
):
    meeting = MeetingFactory(starts_at=at(2027, 2, 1, 8, 30))  # half an hour ago
    audience(meeting)
    html = staff_client.get(cancel_url(meeting), **headers).content.decode()
    assert outlook(html).count(expected) == 2  # SMS and email
    assert summary in html


def test_a_hidden_meeting_tells_nobody(frozen_now, staff_client):
    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30), published=False)
    audience(meeting)
    table = outlook(staff_client.get(cancel_url(meeting), **EN).content.decode())
    assert table.count("No message: the meeting is not published on the site.") == 2


def test_reschedule_uses_the_new_time(frozen_now, staff_client):
    """Moved from Wednesday evening to Sunday 09:30, on Saturday at 23:00: the change text
    cannot wait for Sunday noon, so it goes at once."""
    meeting = MeetingFactory(starts_at=at(2027, 2, 10, 18, 30), venue=VenueFactory())
    audience(meeting)
    frozen_now.move_to(at(2027, 2, 6, 23, 0))
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    data = {
        "day": "2027-02-07",
        "venue": meeting.venue.pk,
        "start_time": "09:30",
        "end_time": "11:00",
    }
    table = outlook(staff_client.post(url, data, **EN).content.decode())
    assert "Sent at once although outside the usual hours" in table


def test_undo_counts_only_those_who_were_told_of_the_cancellation(
    frozen_now, staff_client, staff_post
):
    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30))
    audience(meeting)
    staff_post(cancel_url(meeting), **EN)
    call_command("send_due_reminders", verbosity=0)  # the three are told
    subscribe(meeting, "sms", "es", 4, start=40)  # joined after the cancellation
    undo = reverse("admin:meetings_meeting_undo", args=[meeting.pk])
    html = staff_client.get(undo, **EN).content.decode()
    assert "3 subscribers will be told by SMS" in html


# --- After: what happened, per meeting -------------------------------------------------------


def deliveries(meeting) -> None:
    """One meeting's messages in every state the engine leaves them in."""
    from reminders.enums import SkipReason
    from reminders.models import Delivery, Subscription

    subscribe(meeting, "sms", "es", 10)
    subs = iter(Subscription.objects.filter(meeting=meeting))
    now = timezone.now()

    def row(kind="cancelled", **fields):
        values = {"due_at": now, "next_try_at": now, "status": "pending"} | fields
        Delivery.objects.create(
            subscription=next(subs),
            meeting=meeting,
            kind=kind,
            channel="sms",
            language="es",
            **values,
        )

    row(kind="reminder_24h", due_at=now + timedelta(days=1), next_try_at=now + timedelta(days=1))
    row(held=True, next_try_at=at(2027, 2, 1, 12, 0))
    row(held=True, next_try_at=at(2027, 2, 1, 12, 30))
    row(status="sending", attempt_started_at=now - timedelta(seconds=40))
    row(status="sent", sent_at=now)
    row(status="sent", sent_at=now)
    row(status="skipped", last_error=SkipReason.NUMBER_STOPPED)
    row(status="skipped", last_error=SkipReason.NUMBER_STOPPED)
    row(status="skipped", last_error=SkipReason.NOT_CONFIRMED)
    row(status="failed", last_error=f"{SkipReason.GAVE_UP} Twilio error 30003: unreachable")


EXPECTED = {
    "en": [
        "waiting to go out: 1",
        "held for quiet hours: 2 (the first goes at 12:00 p.m.)",
        "being checked with the provider: 1",
        "sent: 2",
        "skipped: 3",
        "2 × The number replied STOP.",
        "1 × The person stopped their reminders or never confirmed.",
        "failed: 1",
        "1 × Not sent before the meeting despite repeated tries: Twilio error 30003: unreachable",
    ],
    "es": [
        "en cola para enviarse: 1",
        "en espera por el horario de textos: 2 (el primero sale a las 12:00 p. m.)",
        "se está comprobando con el proveedor: 1",
        "enviados: 2",
        "no enviados: 3",
        "2 × El número se dio de baja por mensaje de texto.",
        "fallidos: 1",
        "1 × No se pudo enviar antes de la reunión a pesar de varios intentos: Twilio error 30003",
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_meeting_admin_page_counts_each_outcome(frozen_now, staff_client, language):
    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30))
    deliveries(meeting)
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    html = staff_client.get(change, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    block = html.split('class="delivery-counts"')[1].split("</div>")[0]
    for text in EXPECTED[language]:
        assert text in _plain(block), text
    assert "+1713555" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_dashboard_counts_each_outcome(frozen_now, staff_client, language):
    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30))
    deliveries(meeting)
    url = reverse("admin:meetings_meeting_dashboard")
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    row = html.split('id="dashboard-meetings"')[1].split("</tbody>")[0]
    row = row.split('class="delivery-counts"')[1].split("</div>")[0]
    for text in EXPECTED[language]:
        assert text in _plain(row), text
    assert "+1713555" not in html


def _plain(html: str) -> str:
    """The text of an HTML fragment, whitespace collapsed (tags dropped)."""
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" :", ":")


def test_after_an_evening_cancellation_the_page_shows_the_texts_held_until_morning(
    frozen_now, staff_client, staff_post
):
    """What the confirmation page promised is what the meeting's page then counts: the
    notices planned for the window's opening are held, not 'waiting to go out'."""
    meeting = MeetingFactory(starts_at=at(2027, 2, 3, 18, 30))
    audience(meeting)
    frozen_now.move_to(at(2027, 2, 2, 22, 0))
    staff_post(cancel_url(meeting), **EN)  # the dispatch after that is not run here
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    html = staff_client.get(change, **EN).content.decode()
    block = _plain(html.split('class="delivery-counts"')[1].split("</div>")[0])
    assert (
        "held for quiet hours: 3 (the first goes at 9:00 a.m. on Wednesday, February 3, 2027)"
        in block
    )
    assert "waiting to go out: 2" in block  # the emails, due at once
