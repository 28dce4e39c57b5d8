"""Resident's audit (on the Spanish admin): saving a meeting with only its Spanish text gave
"Este campo es obligatorio." on the English title, inside the hidden EN tab: the officer could
not tell what was missing. The error is named at the top, in words."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_missing_text_in_another_tab_is_named_at_the_top(frozen_now, staff_client):
    meeting = MeetingFactory()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="es").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data |= {"title_en": "", "spoken_languages": ["es"], "_save": "1"}
    data["reminder_offsets"] = form.initial["reminder_offsets"]
    html = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    summary = html[html.index('class="errorlist nonfield"') :]
    assert "Título (inglés)" in summary[: summary.index("</ul>")]
