"""A resident taps "I plan to go": counted once per browser, no contact asked, no IP kept."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.models import Meeting
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(frozen_now):
    return MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))


def urls(meeting, language: str) -> tuple[str, str]:
    with translation.override(language):
        return meeting.get_absolute_url(), reverse(
            "meetings:plan_to_go", kwargs={"slug": meeting.slug}
        )


def count(meeting) -> int:
    return Meeting.objects.get(pk=meeting.pk).planned_attendance


@pytest.mark.parametrize(
    ("language", "button", "thanks"),
    [
        ("es", "Pienso ir", "¡Gracias! Nos alegra que piense venir."),
        ("en", "I plan to go", "Thank you! We are glad you plan to come."),
    ],
)
def test_the_button_counts_once_and_thanks_in_the_page_language(
    meeting, client, language, button, thanks
):
    page, plan = urls(meeting, language)
    html = client.get(page).content.decode()
    assert (
        button in html
        and f'action="{plan}"' in html
        and "<script" not in html.split('id="attendance"')[1].split("</section>")[0]
    )
    response = client.post(plan)
    assert response.status_code == 303 and response["Location"] == page + "#attendance"
    after = client.get(page).content.decode()
    assert thanks in after and button not in after
    client.post(plan)  # the same browser again
    assert count(meeting) == 1


def test_each_browser_counts_and_no_address_is_stored(meeting):
    _page, plan = urls(meeting, "es")
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(plan)
    assert count(meeting) == 3
    row = Meeting.objects.filter(pk=meeting.pk).values().get()
    assert not any("203.0.113" in str(value) for value in row.values())


def test_a_script_dropping_its_cookie_is_rate_limited(meeting, settings):
    settings.ATTENDANCE_RATE = "5/h"
    _page, plan = urls(meeting, "en")
    for _ in range(12):
        Client(REMOTE_ADDR="198.51.100.7").post(plan)  # a new cookie-less browser each time
    assert count(meeting) == 5


def test_a_forged_cookie_does_not_block_counting(meeting, client):
    _page, plan = urls(meeting, "en")
    client.cookies["planned"] = str(meeting.pk)  # unsigned: not ours
    client.post(plan)
    assert count(meeting) == 1


def test_cancelled_or_unpublished_meetings_take_no_plans(meeting, client):
    hidden = MeetingFactory(published=False)
    assert client.post(urls(hidden, "en")[1]).status_code == 404
    meeting.status = "cancelled"
    meeting.save()
    client.post(urls(meeting, "en")[1])
    assert count(meeting) == 0
    assert "I plan to go" not in client.get(urls(meeting, "en")[0]).content.decode()


def test_only_post_counts(meeting, client):
    assert client.get(urls(meeting, "en")[1]).status_code == 405
    assert count(meeting) == 0


def test_staff_see_the_headcount(meeting, client, staff_client):
    Client().post(urls(meeting, "es")[1])
    html = staff_client.get(
        reverse("admin:meetings_meeting_changelist"), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "personas que piensan ir" in html.lower()
    assert '<td class="field-planned_attendance">1</td>' in html
