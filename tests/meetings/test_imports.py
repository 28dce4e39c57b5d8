"""Staff import sessions from a CSV file: preview with row numbers, then all rows or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import VenueFactory

pytestmark = pytest.mark.django_db

IMPORT = "admin:meetings_meeting_import"
HEADER = "date,start,end,venue,title_en,title_es,description_en,description_es,published\n"


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("sessions.csv", text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def venues(frozen_now):
    return VenueFactory(name="Familia Bethel"), VenueFactory(name="Escuela Lincoln")


def test_a_good_file_is_previewed_then_imported(venues, staff_client):
    text = HEADER + (
        "2027-02-03,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes\n"
        "10 Feb 2027,6:30 PM,8:00 PM,escuela lincoln,Meet us,Conózcanos,Talk,Charla,no\n"
    )
    preview = staff_client.post(reverse(IMPORT), {"file": upload(text)}, HTTP_ACCEPT_LANGUAGE="en")
    html = preview.content.decode()
    assert "2 meetings will be imported." in html and "Wednesday, February 10, 2027" in html
    assert not Meeting.objects.exists()
    done = staff_client.post(reverse(IMPORT), {"text": text, "_confirm": "1"})
    assert done.status_code == 302
    starts = [
        timezone.localtime(m.starts_at).strftime("%m-%d %H:%M")
        for m in Meeting.objects.order_by("starts_at")
    ]
    assert starts == ["02-03 18:30", "02-10 18:30"]
    assert [m.published for m in Meeting.objects.order_by("starts_at")] == [True, False]


@pytest.mark.parametrize(
    ("language", "venue_error", "time_error"),
    [
        ("en", "No venue has that name.", "A time is missing or not like 18:30."),
        ("es", "Ningún lugar tiene ese nombre.", "Falta una hora o no está escrita como 18:30."),
    ],
)
def test_row_errors_are_shown_by_row_number_and_nothing_is_imported(
    venues, staff_client, language, venue_error, time_error
):
    text = HEADER + (
        "2027-02-03,18:30,20:00,Familia Bethel,Fine,Bien,Talk,Charla,yes\n"
        "2027-02-10,18:30,20:00,Nowhere Hall,Bad venue,Mal,Talk,Charla,no\n"
        "2027-02-17,soon,20:00,Familia Bethel,Bad time,Mal,Talk,Charla,no\n"
    )
    html = staff_client.post(
        reverse(IMPORT), {"file": upload(text)}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    # Each row by its number, with its title in every language (the site's order: es, en).
    assert '<td>3</td><td lang="es">Mal</td><td lang="en">Bad venue</td>' in html
    assert '<td>4</td><td lang="es">Mal</td><td lang="en">Bad time</td>' in html
    assert venue_error in html and time_error in html
    assert 'name="_confirm"' not in html
    staff_client.post(reverse(IMPORT), {"text": text, "_confirm": "1"})
    assert not Meeting.objects.exists()


def test_two_rows_at_the_same_place_and_time_clash(venues, staff_client):
    line = "2027-02-03,18:30,20:00,Familia Bethel,Twice,Dos veces,Talk,Charla,no\n"
    html = staff_client.post(
        reverse(IMPORT), {"file": upload(HEADER + line + line)}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The venue already has a meeting at that time." in html


def test_missing_columns_are_named(venues, staff_client):
    html = staff_client.post(
        reverse(IMPORT), {"file": upload("date,title\n2027-02-03,x\n")}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Missing columns: start, end, venue" in html


def test_a_file_without_one_languages_columns_imports_with_that_text_empty(venues, staff_client):
    # With four site languages (the LANGUAGES=es,en,vi,ar pass) a file from before still works.
    text = "date,start,end,venue,title_en,published\n2027-02-03,18:30,20:00,Familia Bethel,Hi,no\n"
    staff_client.post(reverse(IMPORT), {"text": text, "_confirm": "1"})
    meeting = Meeting.objects.get()
    assert (meeting.title_en, meeting.title_es) == ("Hi", "")
