"""Staff schedule a whole series in one form: preview first, then all meetings or none."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

SERIES = "admin:meetings_meeting_series"
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def series_data(venues, **overrides) -> dict:
    data = {
        "title_en": "Meet your officers",
        "title_es": "Conozca a sus oficiales",
        "description_en": "Questions welcome.",
        "description_es": "Puede hacer preguntas.",
        "host_en": "Interim Chief",
        "host_es": "Jefe interino",
        "venues": [v.pk for v in venues],
        "venue_order": "every",
        "dates": "",
        "weekdays": [],
        "first_date": "",
        "last_date": "",
        "start_time": "18:30",
        "end_time": "20:00",
        "is_free": "on",
        "no_id_asked": "on",
        "children_welcome": "on",
        "spoken_languages": ["es", "en"],
        "parking": "free_lot",
        "transit": "bus_near",
        "published": "on",
    }
    data.update(overrides)
    return data


def local_starts() -> list[tuple[str, str]]:
    return [
        (timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"), m.venue.name)
        for m in Meeting.objects.order_by("starts_at", "venue__name")
    ]


def test_the_series_link_is_on_the_meeting_list(frozen_now, staff_client):
    html = staff_client.get(reverse("admin:meetings_meeting_changelist"), **ES).content.decode()
    assert reverse(SERIES) in html
    assert "Programar una serie" in html


def test_every_wednesday_until_february_20_previews_then_creates(frozen_now, staff_client):
    venue = VenueFactory(name="Familia Bethel Internacional")
    data = series_data([venue], weekdays=["2"], first_date="2027-02-01", last_date="2027-02-20")
    preview = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **EN)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Wednesday, February 3, 2027" in html and "Wednesday, February 17, 2027" in html
    assert "3 meetings will be created." in html
    assert not Meeting.objects.exists()  # a preview creates nothing

    done = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **EN)
    assert done.status_code == 302
    assert local_starts() == [
        ("2027-02-03 18:30", "Familia Bethel Internacional"),
        ("2027-02-10 18:30", "Familia Bethel Internacional"),
        ("2027-02-17 18:30", "Familia Bethel Internacional"),
    ]
    meeting = Meeting.objects.first()
    assert meeting.title_es == "Conozca a sus oficiales"
    assert meeting.spoken_languages == ["es", "en"] and meeting.published


def test_a_series_keeps_local_time_across_the_march_clock_change(frozen_now, staff_client):
    venue = VenueFactory(name="Escuela Lincoln")
    data = series_data([venue], dates="2027-03-10\n2027-03-17")  # DST starts 14 March
    staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **EN)
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).hour for m in meetings] == [18, 18]
    # Same wall clock, different UTC hour: CST is UTC-6, CDT is UTC-5.
    assert [
        m.starts_at.astimezone(CHICAGO).utcoffset().total_seconds() / 3600 for m in meetings
    ] == [-6, -5]


def test_several_venues_every_date_or_taking_turns(frozen_now, staff_client):
    a, b = VenueFactory(name="A church"), VenueFactory(name="B school")
    dates = "2027-02-03, 2027-02-10"
    staff_client.post(
        reverse(SERIES), series_data([a, b], dates=dates, venue_order="rotate") | {"_confirm": 1}
    )
    assert local_starts() == [("2027-02-03 18:30", "A church"), ("2027-02-10 18:30", "B school")]


@pytest.mark.parametrize(
    ("headers", "past", "clash"),
    [
        (EN, "This date is in the past.", "The venue already has a meeting at that time."),
        (ES, "Esta fecha ya pasó.", "El lugar ya tiene una reunión a esa hora."),
    ],
)
def test_invalid_rows_are_shown_and_nothing_is_created(
    frozen_now, staff_client, headers, past, clash
):
    venue = VenueFactory()
    MeetingFactory(venue=venue, starts_at=datetime(2027, 2, 10, 19, 0, tzinfo=CHICAGO))
    data = series_data([venue], dates="2027-01-20\n2027-02-03\n2027-02-10")
    response = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert past in html and clash in html
    assert Meeting.objects.count() == 1  # only the one that was already there


def test_a_time_the_clock_skips_is_a_row_problem(frozen_now, staff_client):
    data = series_data([VenueFactory()], dates="2027-03-14", start_time="02:30", end_time="03:30")
    html = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **EN).content.decode()
    assert "That time does not exist that day" in html
    assert not Meeting.objects.exists()


def test_bad_dates_are_named_by_line(frozen_now, staff_client):
    data = series_data([VenueFactory()], dates="2027-02-03\nnext tuesday")
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **ES).content.decode()
    assert "Línea 2" in html and "tuesday" in html


def test_publishing_a_series_without_spanish_is_refused(frozen_now, staff_client):
    data = series_data([VenueFactory()], dates="2027-02-03", description_es="")
    html = staff_client.post(reverse(SERIES), data | {"_confirm": "1"}, **ES).content.decode()
    assert "no se puede publicar" in html
    assert not Meeting.objects.exists()


def test_creating_a_series_is_recorded_in_history(frozen_now, staff_client, outreach_staff):
    staff_client.post(
        reverse(SERIES), series_data([VenueFactory()], dates="2027-02-03") | {"_confirm": 1}
    )
    meeting = Meeting.objects.get()
    history = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    html = staff_client.get(history, **EN).content.decode()
    assert "maria" in html and "Added." in html


def test_a_user_without_add_permission_cannot_schedule(frozen_now, client, django_user_model):
    viewer = django_user_model.objects.create_user("v", is_staff=True)
    client.force_login(viewer)
    assert client.get(reverse(SERIES)).status_code == 403
