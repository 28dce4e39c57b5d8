"""Outreach staff (not superusers) manage venues and meetings in the admin, in their language."""

from datetime import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from meetings.models import Meeting
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:meetings_meeting_changelist"
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def add_form_data(venue, **overrides) -> dict:
    data = {
        "title_en": "Coffee with the chief",
        "title_es": "Café con el jefe",
        "description_en": "Ask anything.",
        "description_es": "Pregunte lo que quiera.",
        "host_en": "",
        "host_es": "",
        "venue": venue.pk,
        "starts_at_0": "2027-02-10",
        "starts_at_1": "18:30",
        "ends_at_0": "2027-02-10",
        "ends_at_1": "20:00",
        "published": "on",
        "is_free": "on",
        "no_id_asked": "on",
        "spoken_languages": ["es", "en"],
        "children_welcome": "on",
        "parking": "free_lot",
        "transit": "bus_near",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_meeting_list_shows_local_time_venue_status_and_spanish_completeness(
    frozen_now, staff_client
):
    MeetingFactory(
        starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO),
        venue=VenueFactory(name="Familia Bethel"),
    )
    MeetingFactory(title_en="Untranslated", title_es="", description_es="")
    html = staff_client.get(reverse(CHANGELIST), **ES).content.decode()
    assert "miércoles, 3 de febrero de 2027, 6:30 p. m." in html
    assert "Familia Bethel" in html
    assert "Programada" in html
    assert "Español: título, descripción" in html
    # The yes/no icons speak the staff member's language to screen readers (not "True").
    assert 'alt="No"' in html and 'alt="Sí"' in html
    assert 'alt="False"' not in html and 'alt="True"' not in html


def test_spanish_filter_search_and_date_hierarchy(frozen_now, staff_client):
    MeetingFactory(title_en="Complete one")
    MeetingFactory(title_en="Draft one", title_es="", description_es="", published=False)
    url = reverse(CHANGELIST)
    missing = staff_client.get(url, {"publishing_text": "missing"}, **EN).content.decode()
    assert "Draft one" in missing and "Complete one" not in missing
    complete = staff_client.get(url, {"publishing_text": "complete"}, **EN).content.decode()
    assert "Complete one" in complete and "Draft one" not in complete
    found = staff_client.get(url, {"q": "Draft"}, **EN).content.decode()
    assert "Draft one" in found and "Complete one" not in found
    by_year = staff_client.get(url, {"starts_at__year": "2027"}, **EN)
    assert by_year.status_code == 200
    assert "Complete one" in by_year.content.decode()


@pytest.mark.parametrize(
    ("headers", "message"),
    [(EN, "A meeting must end after it starts."), (ES, "Una reunión debe terminar después")],
)
def test_an_end_before_the_start_is_refused_in_the_staff_language(
    frozen_now, staff_client, headers, message
):
    venue = VenueFactory()
    data = add_form_data(venue, ends_at_1="17:00")
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data, **headers)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (EN, "cannot be published without its title and description in Spanish"),
        (ES, "no se puede publicar"),
    ],
)
def test_publishing_without_spanish_is_refused(frozen_now, staff_client, headers, message):
    data = add_form_data(VenueFactory(), title_es="", description_es="")
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data, **headers)
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_draft_without_spanish_can_be_saved(frozen_now, staff_client):
    data = add_form_data(VenueFactory(), title_es="", description_es="", published=None)
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data, **EN)
    assert response.status_code == 302
    assert Meeting.objects.get().published is False


def test_a_setting_can_allow_publishing_without_spanish(frozen_now, staff_client, settings):
    settings.ALLOW_PUBLISH_WITHOUT_SPANISH = True
    data = add_form_data(VenueFactory(), title_es="", description_es="")
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data, **EN)
    assert response.status_code == 302
    assert Meeting.objects.get().published is True


def test_change_form_says_which_text_is_missing(frozen_now, staff_client):
    meeting = MeetingFactory(description_es="", host_es="")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert "Spanish: description, host" in staff_client.get(url, **EN).content.decode()
    assert "Español: descripción, a cargo de" in staff_client.get(url, **ES).content.decode()


def test_venue_list_and_form_show_missing_english_notes(staff_client):
    venue = VenueFactory(name="Biblioteca Central", notes_en="")
    html = staff_client.get(reverse("admin:meetings_venue_changelist"), **EN).content.decode()
    assert "English: notes for visitors" in html
    url = reverse("admin:meetings_venue_change", args=[venue.pk])
    assert "English: notes for visitors" in staff_client.get(url, **EN).content.decode()


def test_tabbed_translation_admin_uses_the_local_jquery_ui(staff_client):
    html = staff_client.get(reverse("admin:meetings_venue_add"), **EN).content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "ajax.googleapis.com" not in html and "code.jquery.com" not in html


def test_saved_changes_appear_on_the_history_page(frozen_now, staff_client, outreach_staff):
    meeting = MeetingFactory()
    data = add_form_data(meeting.venue, title_en="New title")
    for key in ("venue", "starts_at_0", "starts_at_1", "ends_at_0", "ends_at_1"):
        data.pop(key)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert staff_client.post(url, data, **EN).status_code == 302
    entry = LogEntry.objects.get(object_id=str(meeting.pk))
    assert entry.user == outreach_staff
    history = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    # The field and its language in words, not modeltranslation's "Title [en]".
    html = staff_client.get(history, **EN).content.decode()
    assert "Changed Title (English), Title (Spanish)," in html
    assert "Reminders: 3 days, 1 day, 2 hours → No reminders" in html
    assert "maria" in staff_client.get(history, **ES).content.decode()


def test_staff_cannot_delete_history_or_reach_users(staff_client):
    assert staff_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert staff_client.get("/staff-admin/admin/logentry/").status_code == 404


def test_a_meeting_page_shows_how_many_will_be_reminded_without_any_contact(staff_client):
    from reminders.enums import Channel
    from tests.factories import SubscriptionFactory

    meeting = MeetingFactory()
    SubscriptionFactory(meeting=meeting, contact="+17135550101")
    SubscriptionFactory(meeting=meeting, contact="+17135550102", language="en")
    SubscriptionFactory(meeting=meeting, channel=Channel.EMAIL, contact="ana@example.org")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Every enabled language has its count (LANGUAGES=es,en,vi,ar adds two more each).
    assert "SMS: 1 in Spanish, 1 in English" in html and "Email: 1 in Spanish, 0 in English" in html
    for contact in ["7135550101", "0102", "ana@example.org"]:
        assert contact not in html
