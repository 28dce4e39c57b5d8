"""An outreach officer's audit (Rosa: Spanish admin, outreach staff, not a superuser) of
"Cancelar y avisar" and "Cambiar fecha u hora": who reads which language, reasons refused
rather than cut, when each reminder of a moved meeting goes and why, a table that says which
time is the old one, a delete page that points to the cancel tool, and a history in her own
words. Both admin languages, the clock pinned (Monday 1 February 2027, 9:00 in Chicago)."""

from datetime import datetime

import pytest
from django.conf.locale import LANG_INFO
from django.urls import reverse
from django.utils.translation import gettext_lazy

from meetings.enums import MeetingStatus
from reminders import tasks
from reminders.models import Delivery
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory
from tests.meetings.test_staff_actions import cancel_url, subscribe

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FOUR = ("es", "en", "vi", "ar")


@pytest.fixture
def four_languages(settings):
    settings.LANGUAGES = [(code, gettext_lazy(LANG_INFO[code]["name"])) for code in FOUR]


@pytest.fixture
def meeting(frozen_now, four_languages):
    """Wednesday 3 February 2027, 6:30 p.m.: 2 Spanish, 1 English and 1 Arabic subscriber."""
    meeting = MeetingFactory(
        starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO),
        venue=VenueFactory(name="Familia Bethel"),
        published=True,
    )
    subscribe(meeting, "sms", "es", 2)
    subscribe(meeting, "email", "en", 1, start=10)
    subscribe(meeting, "sms", "ar", 1, start=20)
    return meeting


def reschedule_url(meeting) -> str:
    return reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])


def moved(meeting, day: str, start: str, end: str, **reasons) -> dict:
    return {"day": day, "venue": meeting.venue.pk, "start_time": start, "end_time": end} | reasons


def field_row(html: str, name: str) -> str:
    """The form row of one reason field (its label, input, errors and help)."""
    start = html.rindex('<div class="form-row', 0, html.index(f'name="{name}"'))
    ends = [html.find(mark, start + 1) for mark in ('<div class="form-row', "</fieldset>")]
    return html[start : min(end for end in ends if end > 0)]


# 1. Who reads which language, by the reason fields; an example in each field's language.


@pytest.mark.parametrize(
    ("headers", "spanish", "arabic", "vietnamese"),
    [
        (
            EN,
            "2 subscribers get the notice in this language.",
            "1 subscriber gets the notice in this language.",
            "No subscriber gets the notice in this language.",
        ),
        (
            ES,
            "2 personas inscritas reciben el aviso en este idioma.",
            "1 persona inscrita recibe el aviso en este idioma.",
            "Nadie recibe el aviso en este idioma.",
        ),
    ],
)
def test_each_reason_field_counts_its_readers_and_gives_an_example_in_its_language(
    meeting, staff_client, headers, spanish, arabic, vietnamese
):
    for page in (cancel_url(meeting), reschedule_url(meeting)):
        html = staff_client.get(page, **headers).content.decode()
        rows = {code: field_row(html, f"reason_{code}") for code in FOUR}
        assert spanish in rows["es"] and arabic in rows["ar"] and vietnamese in rows["vi"]
        assert "por el clima" in rows["es"] and "due to weather" in rows["en"]
        assert "do thời tiết" in rows["vi"] and "بسبب الطقس" in rows["ar"]
        assert "por el clima" not in rows["en"] + rows["ar"] + rows["vi"]
        assert 'lang="ar"' in rows["ar"] and 'dir="rtl"' in rows["ar"]
        assert "+1713555" not in html and "example.org" not in html  # counts, never contacts


@pytest.mark.parametrize(
    ("headers", "warning"),
    [
        (EN, "1 subscriber reads Arabic: their notice goes without a reason."),
        (ES, "1 persona inscrita lee árabe: su aviso va sin motivo."),
    ],
)
def test_an_empty_reason_for_a_language_with_readers_is_a_warning_not_a_block(
    meeting, staff_client, headers, warning
):
    reasons = {"reason_es": "por el clima", "reason_en": "due to weather"}
    confirm = staff_client.post(
        reschedule_url(meeting),
        moved(meeting, "2027-02-04", "18:30", "20:00", **reasons),
        **headers,
    ).content.decode()
    assert warning in confirm and "Vietnam" not in confirm.split('id="reason-warnings"')[1][:400]
    response = staff_client.post(cancel_url(meeting), reasons, follow=True, **headers)
    assert warning in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED  # warned, not blocked


# 2. A reason longer than 16 characters is refused, never cut.


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        (EN, "The reason has 20 characters; the maximum is 16."),
        (ES, "El motivo tiene 20 caracteres; el máximo es 16."),
    ],
)
def test_a_long_reason_is_refused_and_kept_as_typed(meeting, staff_client, headers, error):
    long = {"reason_es": "por la lluvia fuerte"}
    html = staff_client.post(cancel_url(meeting), long, **headers).content.decode()
    assert error in field_row(html, "reason_es")
    assert 'value="por la lluvia fuerte"' in html and 'maxlength="16"' not in html
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    data = moved(meeting, "2027-02-04", "18:30", "20:00", **long)
    html = staff_client.post(reschedule_url(meeting), data, **headers).content.decode()
    assert error in html and 'value="por la lluvia fuerte"' in html


# 3. When each reminder of a moved meeting goes, and why.


@pytest.mark.parametrize(
    ("headers", "lines"),
    [
        (
            EN,
            [
                "1 day before: by email Saturday, February 6, 2027, 6:30 a.m.; by SMS Friday, "
                "February 5, 2027, 8:00 p.m., moved earlier because texts go only from "
                "9:00 a.m. to 8:00 p.m. that day.",
                "2 hours before: by email Sunday, February 7, 2027, 4:30 a.m.; by SMS Saturday, "
                "February 6, 2027, 8:00 p.m., moved earlier because texts go only from "
                "12:00 p.m. to 8:00 p.m. that day.",
            ],
        ),
        (
            ES,
            [
                "1 día antes: por correo el sábado, 6 de febrero de 2027, 6:30 a. m.; por SMS "
                "el viernes, 5 de febrero de 2027, 8:00 p. m., antes de tiempo porque los SMS "
                "solo salen de 9:00 a. m. a 8:00 p. m. ese día.",
                "2 horas antes: por correo el domingo, 7 de febrero de 2027, 4:30 a. m.; por "
                "SMS el sábado, 6 de febrero de 2027, 8:00 p. m., antes de tiempo porque los "
                "SMS solo salen de 12:00 p. m. a 8:00 p. m. ese día.",
            ],
        ),
    ],
)
def test_the_reschedule_page_says_when_each_reminder_goes_and_why(
    meeting, staff_client, headers, lines
):
    meeting.reminder_offsets = ["reminder_24h", "reminder_2h"]
    meeting.save()
    data = moved(meeting, "2027-02-07", "06:30", "08:00")  # Sunday, 6:30 a.m.
    html = staff_client.post(reschedule_url(meeting), data, **headers).content.decode()
    schedule = html.split('id="reminder-times"')[1].split("</ul>")[0]
    for line in lines:
        assert line in schedule
    assert schedule.count("<li") == 2  # only the reminders this meeting has


def test_the_page_promises_the_times_the_planner_keeps(meeting):
    from reminders import quiet_hours
    from reminders.services import reminder_plans

    sunday = datetime(2027, 2, 7, 6, 30, tzinfo=CHICAGO)
    plans = {p.kind: p for p in reminder_plans(meeting, sunday)}
    due = {kind: p.email_at for kind, p in plans.items()}
    now = datetime(2027, 2, 1, 9, 0, tzinfo=CHICAGO)
    kept = quiet_hours.sms_times(due, meeting_start=sunday, now=now)
    assert kept == {kind: p.sms.at for kind, p in plans.items()}
    assert plans["reminder_2h"].sms.at == datetime(2027, 2, 6, 20, 0, tzinfo=CHICAGO)


def test_a_saturday_ten_oclock_two_hour_text_goes_at_nine_that_morning(frozen_now):
    from reminders.quiet_hours import ReminderMove, reminder_timing

    start = datetime(2027, 2, 13, 10, 0, tzinfo=CHICAGO)
    timing = reminder_timing(datetime(2027, 2, 13, 8, 0, tzinfo=CHICAGO), meeting_start=start)
    assert timing.at == datetime(2027, 2, 13, 9, 0, tzinfo=CHICAGO)
    assert timing.why == ReminderMove.MORNING_OF


# 4. The reschedule table says which time is the old one.


@pytest.mark.parametrize(
    ("headers", "before", "after"), [(EN, "Before", "After"), (ES, "Antes", "Después")]
)
def test_the_reschedule_table_labels_the_old_and_new_time(
    meeting, staff_client, headers, before, after
):
    data = moved(meeting, "2027-02-04", "19:00", "20:30")
    html = staff_client.post(reschedule_url(meeting), data, **headers).content.decode()
    table = html.split('id="notify-counts"')[1].split("</table>")[0]
    head, body = table.split("</thead>")
    assert f">{before}</th>" in head and f">{after}</th>" in head
    old, new = body.index("3"), body.index("4")  # Wednesday 3 → Thursday 4 February
    assert old < new and "6:30" in body and "7:00" in body


# 5. The delete page: a count and "Cancel with notice", for staff and superusers alike.


@pytest.mark.parametrize(
    ("headers", "words", "django_words"),
    [
        (
            EN,
            "Cannot delete: 3 people asked for reminders. If the meeting will not take place, "
            "use “Cancel with notice”.",
            "permission to delete",
        ),
        (
            ES,
            "No se puede eliminar: 3 personas pidieron recordatorios. Si la reunión no se "
            "hará, use «Cancelar y avisar».",
            "permiso para eliminar",
        ),
    ],
)
@pytest.mark.parametrize("superuser", [False, True])
def test_the_delete_page_counts_the_subscribers_and_links_cancel_with_notice(
    frozen_now, client, outreach_staff, django_user_model, headers, words, django_words, superuser
):
    user = (
        django_user_model.objects.create_superuser("chief", password="unused")
        if superuser
        else outreach_staff
    )
    client.force_login(user)
    meeting = MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))
    subscribe(meeting, "sms", "es", 3)
    tasks.meeting_changed(meeting.pk)  # the worker planned their reminders
    assert Delivery.objects.filter(meeting=meeting).exists()
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])
    html = client.get(url, **headers).content.decode()
    assert words in html and django_words not in html
    assert cancel_url(meeting) in html
    changelist = reverse("admin:meetings_meeting_changelist")
    data = {"action": "delete_selected", "_selected_action": [meeting.pk]}
    html = client.post(changelist, data, **headers).content.decode()
    assert words in html and django_words not in html and cancel_url(meeting) in html


# 6. The history in the reader's words.


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (
            EN,
            [
                "Changed Status, ",
                "Reason in the notice (Spanish)",
                "Reason in the notice (English)",
            ],
        ),
        (ES, ["Se modificó: Estado, ", "Motivo del aviso (español)", "Motivo del aviso (inglés)"]),
    ],
)
def test_the_history_names_each_field_in_the_readers_words(meeting, staff_client, headers, words):
    response = staff_client.post(
        cancel_url(meeting), {"reason_es": "por el clima", "reason_en": "rain"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    url = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    html = staff_client.get(url, **headers).content.decode()
    summary = html.split("<td>maria</td>")[1].split('<strong class="history-via">')[0]
    for word in words:  # the fields' order follows the translated columns' order
        assert word in summary
    assert "[es]" not in html and "reason in the notice" not in html


@pytest.mark.parametrize(
    ("headers", "line"),
    [
        (EN, "Reminders: 3 days, 1 day, 2 hours → 3 days, 1 day"),
        (ES, "Recordatorios: 3 días, 1 día, 2 horas → 3 días, 1 día"),
    ],
)
def test_the_history_shows_the_reminders_before_and_after(meeting, staff_client, headers, line):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and value is not False and name in form.fields
    }
    data |= {"reminder_offsets": ["reminder_3d", "reminder_24h"], "_save": "1"}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    history = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    html = staff_client.get(history, **headers).content.decode()
    assert line in html
