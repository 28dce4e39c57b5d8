"""The staff admin in Spanish, for people who are not developers: no English, no Spain Spanish,
the service's own name, and messages that agree with "reunión"."""

import re
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from meetings import imports
from tests.factories import MeetingFactory, VenueFactory
from tests.meetings.test_admin import add_form_data
from tests.meetings.test_public_site import read

pytestmark = pytest.mark.django_db

SPANISH = settings.LANGUAGES[0][0]
ES = {"HTTP_ACCEPT_LANGUAGE": SPANISH}
DJANGO = Path(django.__file__).parent
# Every English phrase the admin pages can print: Django's admin, core and auth catalogues,
# django-axes, modeltranslation and our own.
SOURCE_CATALOGUES = [
    DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po",
    DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
    *Path(settings.BASE_DIR, "locale").glob(f"{SPANISH}/LC_MESSAGES/django.po"),
]
# Spain Spanish and unaccented words that Django's own catalogue prints.
# Words spelled the same in both languages.
KNOWN_ALIKE = {"No", "Total", "Error", "SMS", "CSV", "ID", "URL", "IP"}
NOT_OUR_SPANISH = ["Añadir", "añadir", "Añadido", "fichero", "Administración de Django"]


def english_admin_phrases() -> set[str]:
    """Every English phrase of these catalogues whose Spanish differs, and every one the
    active Spanish catalogue (ours merged over Django's) leaves untranslated: none may show
    on a Spanish admin page."""
    phrases = set()
    with translation.override(SPANISH):
        for path in SOURCE_CATALOGUES:
            for entry in polib.pofile(str(path)):
                if entry.msgctxt:
                    spanish = translation.pgettext(entry.msgctxt, entry.msgid)
                elif entry.msgid_plural:
                    spanish = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                else:
                    spanish = translation.gettext(entry.msgid)
                if spanish == entry.msgid and entry.msgid in KNOWN_ALIKE:
                    continue
                for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", entry.msgid):
                    part = part.strip(" .,:;…")
                    if re.search(r"[a-z]{2}", part) and len(part) >= 3:
                        phrases.add(part)
    return phrases


def english_on(html: str, phrases: set[str]) -> list[str]:
    text = " ".join(read(html).spanish_text)
    text = re.sub(r"\w+://\S+", "", text)  # a web address is not English ("meetings.example")
    return sorted(p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text))


@pytest.fixture
def meeting(frozen_now):
    venue = VenueFactory(name="Iglesia San José", street_address="1800 Irvington Blvd")
    return MeetingFactory(
        venue=venue, title_en="Reunión comunitaria", host_en="", host_es="", description_en=""
    )


def admin_pages(meeting) -> list[str]:
    changelist = reverse("admin:meetings_meeting_changelist")
    return [
        reverse("admin:index"),
        changelist,
        changelist + "?status__exact=scheduled&q=San&starts_at__year=2027",
        reverse("admin:meetings_meeting_add"),
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]),
        reverse("admin:meetings_meeting_history", args=[meeting.pk]),
        reverse("admin:meetings_venue_changelist"),
        reverse("admin:meetings_venue_add"),
        reverse("admin:meetings_policystatement_changelist"),
        reverse("admin:meetings_policystatement_add"),
        # The staff tools.
        reverse("admin:meetings_meeting_series"),
        reverse("admin:meetings_meeting_import"),
        reverse("admin:meetings_meeting_dashboard"),
        reverse("admin:meetings_meeting_duplicate", args=[meeting.pk]),
        reverse("admin:meetings_meeting_reschedule", args=[meeting.pk]),
        reverse("admin:meetings_meeting_cancel") + f"?ids={meeting.pk}",
        reverse("admin:password_change"),
    ]


def test_the_phrase_list_knows_the_english_the_admin_showed():
    phrases = english_admin_phrases()
    assert {"Run", "Filter by", "Search", "Pagination", "- Select an option -"} <= phrases
    assert {"What to expect", "Add", "Save and add another"} <= phrases


def test_every_admin_page_is_in_spanish_for_outreach_staff(meeting, staff_client):
    phrases = english_admin_phrases()
    assert len(phrases) > 500  # the check has something to find
    for url in admin_pages(meeting):
        response = staff_client.get(url, **ES)
        assert response.status_code == 200, url
        html = response.content.decode()
        # The CSV import names its columns, which staff type as they are (meetings/imports.py).
        import_page = url == reverse("admin:meetings_meeting_import")
        allowed = set(imports.COLUMNS) if import_page else set()
        assert sorted(set(english_on(html, phrases)) - allowed) == [], url
        assert [w for w in NOT_OUR_SPANISH if w in html] == [], url


def test_the_check_would_catch_an_english_button(meeting, staff_client):
    html = staff_client.get(reverse("admin:meetings_meeting_changelist"), **ES).content.decode()
    broken = html.replace("Aplicar", "Run")
    assert "Run" in english_on(broken, {"Run"}) and english_on(html, {"Run"}) == []


def test_the_header_names_the_service_not_django(meeting, staff_client):
    html = staff_client.get(reverse("admin:index"), **ES).content.decode()
    assert '<a href="/staff-admin/">Reuniones comunitarias: personal</a>' in html
    assert "<title>" in html and "Django" not in " ".join(read(html).spanish_text)


def test_a_saved_meeting_is_announced_with_the_right_gender(frozen_now, staff_client):
    venue = VenueFactory()
    url = reverse("admin:meetings_meeting_add")
    response = staff_client.post(url, add_form_data(venue), follow=True, **ES)
    text = re.sub(r"<[^>]+>", "", " ".join(str(m) for m in response.context["messages"]))
    assert "reunión «Café con el jefe" in text, text
    assert "El reunión" not in text and "agregado" not in text


def test_the_time_zone_note_is_in_spanish(staff_client):
    script = staff_client.get(reverse("admin:jsi18n"), **ES).content.decode()
    assert "Note: Enter times in the %(timezone)s timezone." in script  # the key
    assert "Escriba las horas en la zona horaria" in script


def test_a_superuser_sees_groups_permissions_and_sign_in_security_in_spanish(
    admin_client, django_user_model
):
    """Django stores permission names in English and names django-axes "Axes"; the Spanish
    admin shows neither (the Spanish editor's audit found both)."""
    from django.contrib.auth.models import Group

    from meetings.models import STAFF_GROUP

    group = Group.objects.get(name=STAFF_GROUP)
    index = admin_client.get(reverse("admin:index"), **ES).content.decode()
    assert "Seguridad del inicio de sesión" in index and ">Axes<" not in index
    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk]), **ES)
    page = page.content.decode()
    assert "| Puede agregar reunión<" in page
    assert "Can add" not in page and "Can change" not in page
    assert "Personal de reuniones" in page
