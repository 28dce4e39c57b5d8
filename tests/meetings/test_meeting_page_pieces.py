"""The meeting page is put together from kept pieces (outreach/fragments.py), and whatever staff
change shows on the very next visit: each piece is keyed by what it shows.

Every test renders with the page cache off, whole pages kept ("all", a page whose content did
not change) or only the pieces ("pieces", a page whose content changed).
"""

import re

import pytest
from django.test import Client

from meetings.enums import ReminderOffset
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["pieces", "all"])
def _kept(request, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.KEEP_RENDERED = request.param


def spanish_page(meeting) -> str:
    response = Client().get(f"/es/reuniones/{meeting.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_choosing_other_reminders_shows_at_once_in_the_form(frozen_now):
    meeting = MeetingFactory()
    every = "3 días antes (para planear su visita), 1 día antes y 2 horas antes, por mensaje"
    assert every in spanish_page(meeting)
    meeting.reminder_offsets = [ReminderOffset.TWO_HOURS]
    meeting.save()
    html = spanish_page(meeting)
    assert every not in html
    assert "recordatorio 2 horas antes, por mensaje" in html


def test_staff_changing_what_to_expect_shows_at_once(frozen_now):
    meeting = MeetingFactory(children_welcome=False)
    assert "Niños bienvenidos" not in spanish_page(meeting)
    meeting.children_welcome = True
    meeting.save()
    assert "Niños bienvenidos" in spanish_page(meeting)


def test_staff_editing_the_venue_notes_and_name_shows_at_once(frozen_now):
    meeting = MeetingFactory(
        venue=VenueFactory(name="Iglesia San José", notes_es="Entrada por atrás")
    )
    html = spanish_page(meeting)
    assert "Entrada por atrás" in html and "Iglesia San José" in html
    venue = meeting.venue
    venue.notes_es = "Entrada por la calle Jefferson"
    venue.name = "Familia Bethel Internacional"
    venue.save()
    html = spanish_page(meeting)
    assert "Entrada por la calle Jefferson" in html and "Entrada por atrás" not in html
    assert "Familia Bethel Internacional" in html and "Iglesia San José" not in html


def test_staff_renaming_the_meeting_changes_every_place_it_is_named(frozen_now):
    meeting = MeetingFactory()
    spanish_page(meeting)
    meeting.title_es = "Café con el jefe interino"
    meeting.description_es = "Preguntas sobre el nuevo parque."
    meeting.host_es = "Capitana Ruiz"
    meeting.save()
    html = spanish_page(meeting)
    assert "Reunión comunitaria" not in html
    # the title, the social preview, the heading, the structured data and the share links
    assert html.count("Café con el jefe interino") >= 4
    assert "Caf%C3%A9%20con%20el%20jefe%20interino" in html
    assert "Preguntas sobre el nuevo parque." in html
    assert "Capitana Ruiz" in html


def test_staff_moving_the_meeting_changes_the_time_everywhere(frozen_now):
    meeting = MeetingFactory()
    assert "6:30" in spanish_page(meeting)
    meeting.starts_at = meeting.starts_at.replace(hour=meeting.starts_at.hour + 1)
    meeting.ends_at = meeting.ends_at.replace(hour=meeting.ends_at.hour + 1)
    meeting.save()
    html = spanish_page(meeting)
    assert "6:30" not in html
    assert "7:30" in html


def test_the_blank_reminder_widgets_are_rendered_once_per_language_for_every_meeting(frozen_now):
    from unittest import mock

    from reminders.templatetags import reminders

    first, second = MeetingFactory(), MeetingFactory()
    with mock.patch.object(reminders, "RemindMeForm", wraps=reminders.RemindMeForm) as made:
        spanish_page(first)
        html = spanish_page(second)
        english = Client().get(f"/en/meetings/{second.slug}/").content.decode()
    assert made.call_count == 2  # one blank form per language, both meetings
    assert f'action="/es/reuniones/{second.slug}/recordar/#remind-errors"' in html
    assert re.search(r'<input[^>]*name="language" value="es"[^>]*checked', html)
    assert "How should we remind you?" in english
