"""An officer moving a meeting to 05:32, into the past, or scheduling a series over Christmas
and New Year is warned on the confirmation or preview page, in her language, and can still
go ahead: a warning, never a block."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from meetings import cautions
from meetings.models import Meeting
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

from .test_series import SERIES, series_data

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Christmas Day", "public holiday"]),
        ("es", ["Navidad", "día festivo"]),
    ],
)
def test_christmas_is_named_as_a_holiday_in_the_staff_language(frozen_now, language, words):
    with translation.override(language):
        found = " ".join(cautions.cautions(at(2027, 12, 25, 18, 30), at(2027, 12, 25, 20, 0)))
    for word in words:
        assert word in found


@pytest.mark.parametrize(
    "day", [(2027, 12, 24), (2027, 12, 25), (2027, 12, 31), (2028, 1, 1), (2026, 12, 31)]
)
def test_the_days_around_christmas_and_new_year_are_holidays(day):
    assert cautions.holiday_names(datetime(*day).date())


def test_an_ordinary_wednesday_evening_brings_no_warning(frozen_now):
    assert cautions.cautions(at(2027, 2, 3, 18, 30), at(2027, 2, 3, 20, 0)) == []


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(starts_at=at(2027, 2, 3, 18, 30), venue=VenueFactory())


@pytest.mark.parametrize(
    ("headers", "early", "past"),
    [
        (EN, "outside the usual hours", "already passed"),
        (ES, "fuera del horario habitual", "ya pasó"),
    ],
)
def test_rescheduling_to_0532_or_into_the_past_warns_but_can_be_confirmed(
    meeting, staff_client, headers, early, past
):
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    data = {"day": "2027-02-04", "venue": meeting.venue.pk, "start_time": "05:32"}
    html = staff_client.post(url, data | {"end_time": "06:30"}, **headers).content.decode()
    assert early in html and 'name="_confirm"' in html
    data = {"day": "2027-01-20", "venue": meeting.venue.pk, "start_time": "18:30"}
    html = staff_client.post(url, data | {"end_time": "20:00"}, **headers).content.decode()
    assert past in html and 'name="_confirm"' in html
    staff_client.post(url, data | {"end_time": "20:00", "_confirm": "1"}, **headers)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at) == at(2027, 1, 20, 18, 30)  # still allowed


@pytest.mark.parametrize(
    ("headers", "holiday", "count"),
    [(EN, "Christmas Day", "4 meetings will be created."), (ES, "Navidad", "Se crearán 4")],
)
def test_a_series_over_the_holidays_warns_on_each_date_and_still_creates(
    frozen_now, staff_client, headers, holiday, count
):
    dates = "2027-12-24\n2027-12-25\n2027-12-31\n2028-01-01"
    data = series_data([VenueFactory()], dates=dates)
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **headers).content.decode()
    assert holiday in html and count in html
    assert html.count('class="warning"') >= 4
    staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **headers)
    assert Meeting.objects.count() == 4


@pytest.mark.parametrize(("headers", "words"), [(EN, "New Year"), (ES, "Año Nuevo")])
def test_a_csv_row_on_new_years_day_warns(frozen_now, staff_client, headers, words):
    VenueFactory(name="Familia Bethel")
    text = (
        "date,start,end,venue,title_en,title_es,description_en,description_es,published\n"
        "2028-01-01,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes\n"
    )
    upload = SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")
    html = staff_client.post(
        reverse("admin:meetings_meeting_import"), {"file": upload}, **headers
    ).content.decode()
    assert words in html and 'name="_confirm"' in html
