"""An outreach officer types dates and times the way she writes them, in the Spanish or the
English admin: each input means one thing, or is refused with a message naming the line or row.
The single-date fields are the browser's own date and time pickers (always ISO underneath)."""

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from meetings import inputs
from meetings.models import Meeting
from tests.factories import MeetingFactory, VenueFactory

from .test_series import SERIES, series_data

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
IMPORT = "admin:meetings_meeting_import"
HEADER = "date,start,end,venue,title_en,title_es,description_en,description_es,published\n"


def upload(raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("sessions.csv", raw, content_type="text/csv")


# --- Dates: one meaning or a refusal ---------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-02-04", date(2027, 2, 4)),
        ("4 de febrero de 2027", date(2027, 2, 4)),
        ("4 feb 2027", date(2027, 2, 4)),
        ("February 4, 2027", date(2027, 2, 4)),
        ("Feb 4 2027", date(2027, 2, 4)),
        ("jueves 4 de febrero de 2027", date(2027, 2, 4)),
    ],
)
def test_unambiguous_dates_are_read_the_same_in_both_languages(language, text, expected):
    with translation.override(language):
        assert inputs.parse_date(text) == expected


@pytest.mark.parametrize("text", ["04/02/2027", "13/02/2027", "02/13/2027", "4.2.2027", "4-2-27"])
def test_day_and_month_in_numbers_are_refused(text):
    with pytest.raises(inputs.AmbiguousDate):
        inputs.parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 de febrero", date(2027, 2, 4)),
        ("Feb 4", date(2027, 2, 4)),
        ("20 de enero", date(2028, 1, 20)),
    ],
)
def test_a_date_without_its_year_is_refused_with_the_next_such_date(frozen_now, text, expected):
    """Monday 1 February 2027: "4 de febrero" is this Thursday, "20 de enero" next January.
    Guessing the year could put a meeting a year off: the officer is told which one to write."""
    with pytest.raises(inputs.AmbiguousDate) as refused:
        inputs.parse_date(text)
    assert refused.value.readings == [expected]
    with translation.override("es"):
        assert expected.isoformat() in refused.value.message
        assert "le falta el año" in refused.value.message


def test_a_date_without_its_year_in_the_series_list_names_the_one_to_write(
    frozen_now, staff_client
):
    data = series_data([VenueFactory()], dates="4 de febrero\n2027-02-10")
    html = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **ES).content.decode()
    assert "2027-02-04" in html and "4 de febrero" in html
    assert "no es una fecha" not in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (EN, ["Line 1", "04/02/2027", "could be", "2027-02-04"]),
        (ES, ["Línea 1", "04/02/2027", "puede ser", "2027-02-04"]),
    ],
)
def test_an_ambiguous_date_in_the_series_list_is_refused_by_line(
    frozen_now, staff_client, headers, words
):
    data = series_data([VenueFactory()], dates="04/02/2027\n2027-02-10")
    html = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **headers).content.decode()
    for word in words:
        assert word in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        ("es", "martes 11 de marzo de 2027", ["«martes»", "jueves"]),
        ("en", "Tuesday, March 11, 2027", ["“Tuesday”", "Thursday"]),
    ],
)
def test_a_weekday_that_does_not_match_the_date_is_refused(language, text, words):
    """Officer's audit: "martes 11 de marzo de 2027" is a Thursday. She meant the 9th or the
    16th, or Thursday: only she knows, and residents would get the wrong day."""
    with pytest.raises(inputs.AmbiguousDate) as refused, translation.override(language):
        inputs.parse_date(text)
    with translation.override(language):
        message = refused.value.message
    for word in words:
        assert word in message


def test_a_weekday_that_matches_the_date_is_read(frozen_now):
    assert inputs.parse_date("jueves 11 de marzo de 2027") == date(2027, 3, 11)
    assert inputs.parse_date("Thu, Mar 11 2027") == date(2027, 3, 11)


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (EN, ["Line 3", "February 10, 2027", "line 1"]),
        (ES, ["Línea 3", "10 de febrero de 2027", "línea 1"]),
    ],
)
def test_a_date_listed_twice_is_pointed_out_not_dropped(frozen_now, staff_client, headers, words):
    """The officer meant another date on one of the two lines: only she knows which."""
    data = series_data([VenueFactory()], dates="2027-02-10\n2027-02-17\n10 de febrero de 2027")
    html = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **headers).content.decode()
    for word in words:
        assert word in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("headers", "weekday"), [(EN, "Thursday, February 4, 2027"), (ES, "jueves, 4 de febrero")]
)
def test_the_series_preview_shows_the_weekday_of_each_date(
    frozen_now, staff_client, headers, weekday
):
    data = series_data([VenueFactory()], dates="4 de febrero de 2027\nFeb 11, 2027")
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **headers).content.decode()
    assert weekday in html
    assert 'class="error"' not in html


@pytest.mark.parametrize("headers", [EN, ES])
def test_the_series_first_date_is_a_native_date_input_that_means_iso_only(
    frozen_now, staff_client, headers
):
    html = staff_client.get(reverse(SERIES), **headers).content.decode()
    assert 'type="date" name="first_date"' in html and 'type="time" name="start_time"' in html
    data = series_data(
        [VenueFactory()], weekdays=[3], first_date="04/02/2027", last_date="2027-02-20"
    )
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **headers).content.decode()
    assert "2027-02-04" in html  # the message shows the one form that is accepted
    assert not Meeting.objects.exists()


@pytest.fixture
def meeting(frozen_now):
    from datetime import datetime

    from tests.conftest import CHICAGO

    return MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))


@pytest.mark.parametrize("headers", [EN, ES])
def test_reschedule_and_duplicate_ask_with_native_inputs_and_no_seconds(
    meeting, staff_client, headers
):
    for name in ["reschedule", "duplicate"]:
        url = reverse(f"admin:meetings_meeting_{name}", args=[meeting.pk])
        html = staff_client.get(url, **headers).content.decode()
        assert 'type="date" name="day"' in html
        assert 'type="time" name="start_time" value="18:30"' in html  # not 18:30:00


@pytest.mark.parametrize(
    ("headers", "message"),
    [(EN, "Write the date as 2027-02-13"), (ES, "Escriba la fecha como 2027-02-13")],
)
def test_reschedule_refuses_a_typed_month_first_date_with_a_clear_message(
    meeting, staff_client, headers, message
):
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    data = {"day": "02/13/2027", "venue": meeting.venue.pk, "start_time": "19:00"}
    html = staff_client.post(url, data | {"end_time": "20:00"}, **headers).content.decode()
    assert message in html


# --- Times as staff type them -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["6:30 p. m.", "6:30 p.m.", "6:30 pm", "6:30 PM", "6:30PM", "18:30", "18.30"]
)
def test_evening_times_are_read_as_staff_type_them(text):
    assert inputs.parse_time(text) == time(18, 30)


@pytest.mark.parametrize("text", ["9 a. m.", "9:00 am", "09:00"])
def test_morning_times_are_read_as_staff_type_them(text):
    assert inputs.parse_time(text) == time(9, 0)


@pytest.mark.parametrize("text", ["soon", "25:00", "6:30 x", ""])
def test_anything_else_is_not_a_time(text):
    assert inputs.parse_time(text) is None


# --- CSV files as spreadsheets save them --------------------------------------------------------


@pytest.fixture
def venues(frozen_now):
    return VenueFactory(name="Familia Bethel"), VenueFactory(name="Escuela Lincoln")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (EN, "Row 3 has 10 fields; 9 were expected"),
        (ES, "La fila 3 tiene 10 campos; se esperaban 9"),
    ],
)
def test_a_row_with_an_unquoted_comma_is_refused_with_its_number(
    venues, staff_client, headers, message
):
    text = HEADER + (
        "2027-02-03,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes\n"
        "2027-02-10,18:30,20:00,Familia Bethel,Meet, greet,Conózcanos,Talk,Charla,no\n"
    )
    html = staff_client.post(
        reverse(IMPORT), {"file": upload(text.encode())}, **headers
    ).content.decode()
    assert message in html
    assert 'name="_confirm"' not in html


@pytest.mark.parametrize(
    ("headers", "message"),
    [(EN, "A quotation mark is not closed"), (ES, "Hay comillas sin cerrar")],
)
def test_an_unclosed_quote_is_refused(venues, staff_client, headers, message):
    text = HEADER + '2027-02-03,18:30,20:00,Familia Bethel,"Meet us,Conózcanos,Talk,Charla,yes\n'
    html = staff_client.post(
        reverse(IMPORT), {"file": upload(text.encode())}, **headers
    ).content.decode()
    assert message in html
    assert 'name="_confirm"' not in html


@pytest.mark.parametrize("headers", [EN, ES])
def test_a_spanish_excel_file_with_semicolons_in_windows_1252_imports(
    venues, staff_client, headers
):
    text = HEADER.replace(",", ";") + (
        "2027-02-03;6:30 p. m.;8:00 p. m.;Familia Bethel;Meet us;Conózcanos;Talk;Charla;sí\n"
        "2027-02-10;6:30 PM;8:00 PM;Escuela Lincoln;Meet, greet;Salúdenos;Talk;Charla;no\n"
    )
    raw = text.encode("cp1252")
    html = staff_client.post(reverse(IMPORT), {"file": upload(raw)}, **headers).content.decode()
    assert "Conózcanos" in html and "Salúdenos" in html and "Meet, greet" in html  # both titles
    assert 'name="_confirm"' in html
    staff_client.post(reverse(IMPORT), {"text": text, "_confirm": "1"})
    meetings = Meeting.objects.order_by("starts_at")
    assert [timezone.localtime(m.starts_at).strftime("%H:%M") for m in meetings] == [
        "18:30",
        "18:30",
    ]
    assert [m.title_es for m in meetings] == ["Conózcanos", "Salúdenos"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom_imports(venues, staff_client, bom):
    text = HEADER + "2027-02-03,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes\n"
    html = staff_client.post(
        reverse(IMPORT), {"file": upload(bom + text.encode())}, **EN
    ).content.decode()
    assert "1 meeting will be imported." in html and "Conózcanos" in html


@pytest.mark.parametrize(
    ("headers", "words"),
    [(EN, ["04/02/2027", "could be"]), (ES, ["04/02/2027", "puede ser"])],
)
def test_an_ambiguous_date_in_the_file_is_refused_on_its_row(venues, staff_client, headers, words):
    text = HEADER + "04/02/2027,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes\n"
    html = staff_client.post(
        reverse(IMPORT), {"file": upload(text.encode())}, **headers
    ).content.decode()
    assert "<td>2</td>" in html
    for word in words:
        assert word in html


@pytest.mark.parametrize("headers", [EN, ES])
def test_every_label_on_the_staff_forms_starts_with_a_capital(meeting, staff_client, headers):
    import re

    pages = [
        reverse(SERIES),
        reverse("admin:meetings_meeting_reschedule", args=[meeting.pk]),
        reverse("admin:meetings_meeting_duplicate", args=[meeting.pk]),
        reverse("admin:meetings_meeting_cancel") + f"?ids={meeting.pk}",
    ]
    for url in pages:
        html = staff_client.get(url, **headers).content.decode()
        labels = re.findall(r"<label[^>]*>([^<]+)</label>", html)
        assert labels, url
        lower = [label for label in labels if label.strip()[:1].islower()]
        assert not lower, (url, lower)


@pytest.mark.parametrize(
    ("headers", "labels"),
    [
        (EN, ["Title (Spanish)", "Title (English)", "Description (Spanish)"]),
        (ES, ["Título (español)", "Título (inglés)", "Descripción (español)"]),
    ],
)
def test_the_series_form_names_each_text_boxs_language_in_words(
    frozen_now, staff_client, headers, labels
):
    """Officer's audit: "Título [en]" is a code, not a language she reads."""
    html = staff_client.get(reverse(SERIES), **headers).content.decode()
    for label in labels:
        assert label in html
    assert "[en]" not in html and "[es]" not in html
