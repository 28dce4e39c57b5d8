"""Words that reassure, seen on a phone (360×740): the meeting page and the questions page in
Spanish, and the Spanish admin meeting list an outreach officer uses, with the admin's own
JavaScript (the time zone note) in Spanish too. Screenshots go to test-artifacts/words/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus
from meetings.models import STAFF_GROUP, Meeting
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pages import seed

pytestmark = pytest.mark.django_db(transaction=True)

FOLDER = ARTIFACTS / "words"
SPANISH = settings.LANGUAGES[0][0]


def shoot(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png")  # the phone's screen, as a resident sees it


def test_meeting_and_questions_pages_say_who_is_speaking(live_server, phone_page):
    seed()
    meeting = Meeting.objects.upcoming().filter(status=MeetingStatus.SCHEDULED).first()
    with translation.override(SPANISH):
        meeting_url, faq_url = meeting.get_absolute_url(), reverse("meetings:faq")
    phone_page.goto(live_server.url + meeting_url)
    text = phone_page.locator("body").inner_text()
    assert "Departamento de Policía de Dallas" in text and "Lo que debe saber" in text
    assert "Idiomas: español, inglés" in text
    shoot(phone_page, "es-meeting")

    phone_page.get_by_role("link", name="Preguntas frecuentes").click()
    phone_page.wait_for_url(f"**{faq_url}")
    text = phone_page.locator("main").inner_text()
    assert "¿Me van a pedir papeles en la reunión?" in text
    assert "no guarda quién es usted" in text
    shoot(phone_page, "es-faq")


@pytest.mark.parametrize("phone_page", ["es-MX"], indirect=True)
def test_the_spanish_admin_meeting_list_and_form_on_a_phone(
    live_server, phone_page, django_user_model
):
    seed()
    officer = django_user_model.objects.create_user(
        "oficial", password="a-long-pass-42", is_staff=True
    )
    # A transactional test starts from an empty database: the migration's group is gone.
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="meetings"))
    officer.groups.add(group)
    # An officer's phone set to another time zone: the admin's note about it must be Spanish.
    context = phone_page.context.browser.new_context(
        viewport=PHONE, locale="es-MX", timezone_id="America/Denver", is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/{settings.ADMIN_PATH}login/")
    page.locator("#id_username").fill("oficial")
    page.locator("#id_password").fill("a-long-pass-42")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}{reverse('admin:meetings_meeting_changelist')}")
    text = page.locator("body").inner_text()
    assert "Reuniones comunitarias: personal" in text
    assert "Aplicar" in text and "Run" not in text and "Añadir" not in text
    shoot(page, "es-admin-meeting-list")

    page.goto(f"{live_server.url}{reverse('admin:meetings_meeting_add')}")
    note = page.locator(".timezonewarning").first
    note.wait_for()
    assert "Escriba las horas en la zona horaria America/Chicago" in note.inner_text()
    context.close()
