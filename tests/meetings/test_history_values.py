"""An officer opens a meeting's history and reads who changed what, from what to what, in her
own language, whatever tool made the change (admin form, cancel, undo, reschedule, series,
CSV import, duplicate): never just "Modificado estado."."""

from datetime import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

from .test_series import SERIES, series_data

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(
        starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO),
        venue=VenueFactory(name="Familia Bethel"),
        title_en="Meet your officers",
        title_es="Conozca a sus oficiales",
    )


def history(client, meeting, headers) -> str:
    url = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    return client.get(url, **headers).content.decode()


@pytest.mark.parametrize(
    ("headers", "cancelled", "undone", "reason"),
    [
        (EN, "Status: Scheduled → Cancelled", "Status: Cancelled → Scheduled", "due to weather"),
        (ES, "Estado: Programada → Cancelada", "Estado: Cancelada → Programada", "por el clima"),
    ],
)
def test_cancel_and_undo_show_the_status_before_and_after(
    meeting, staff_client, headers, cancelled, undone, reason
):
    cancel = reverse("admin:meetings_meeting_cancel") + f"?ids={meeting.pk}"
    staff_client.post(cancel, {"reason_es": "por el clima", "reason_en": "due to weather"})
    staff_client.post(reverse("admin:meetings_meeting_undo", args=[meeting.pk]))
    html = history(staff_client, meeting, headers)
    assert cancelled in html and undone in html and reason in html
    assert "maria" in html


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (EN, ["Starts at:", "Wednesday, February 3, 2027, 6:30 p.m.", "Thursday, February 4"]),
        (ES, ["Inicio:", "miércoles, 3 de febrero de 2027, 6:30 p. m.", "jueves, 4 de febrero"]),
    ],
)
def test_reschedule_shows_the_old_and_new_time_and_venue(meeting, staff_client, headers, words):
    url = reverse("admin:meetings_meeting_reschedule", args=[meeting.pk])
    new = VenueFactory(name="Escuela Lincoln")
    data = {"day": "2027-02-04", "venue": new.pk, "start_time": "19:00", "end_time": "20:30"}
    staff_client.post(url, data | {"_confirm": "1"})
    html = history(staff_client, meeting, headers)
    for word in words:
        assert word in html
    assert "Familia Bethel → Escuela Lincoln" in html


@pytest.mark.parametrize(("headers", "label"), [(EN, "Title (English)"), (ES, "Título (inglés)")])
def test_the_admin_form_records_old_and_new_text(meeting, staff_client, headers, label):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data |= {"title_en": "Meet the new chief", "spoken_languages": ["es"], "_save": "1"}
    data = {k: v for k, v in data.items() if v is not False}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = history(staff_client, meeting, headers)
    assert "Meet your officers → Meet the new chief" in html and label in html


@pytest.mark.parametrize(
    ("headers", "via"), [(EN, "Schedule a series"), (ES, "Programar una serie")]
)
def test_a_series_records_what_it_created(frozen_now, staff_client, headers, via):
    staff_client.post(
        reverse(SERIES),
        series_data([VenueFactory(name="Familia Bethel")], dates="2027-02-03") | {"_confirm": "1"},
    )
    html = history(staff_client, Meeting.objects.get(), headers)
    assert via in html and "Familia Bethel" in html


@pytest.mark.parametrize(("headers", "via"), [(EN, "Import from CSV"), (ES, "Importar de CSV")])
def test_an_import_records_what_it_created(frozen_now, staff_client, headers, via):
    VenueFactory(name="Familia Bethel")
    text = (
        "date,start,end,venue,title_en,title_es,description_en,description_es,published\n"
        "2027-02-03,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes\n"
    )
    staff_client.post(reverse("admin:meetings_meeting_import"), {"text": text, "_confirm": "1"})
    html = history(staff_client, Meeting.objects.get(), headers)
    assert via in html and "Conózcanos" in html


@pytest.mark.parametrize(("headers", "via"), [(EN, "Duplicate"), (ES, "Duplicar")])
def test_a_duplicate_names_its_original(meeting, staff_client, headers, via):
    url = reverse("admin:meetings_meeting_duplicate", args=[meeting.pk])
    data = {"day": "2027-02-24", "venue": meeting.venue.pk, "start_time": "18:30"}
    staff_client.post(url, data | {"end_time": "20:00"})
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    html = history(staff_client, copy, headers)
    assert via in html and str(meeting.pk) in html
