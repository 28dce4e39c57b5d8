"""An officer about to delete a meeting people signed up for is pointed to "Cancel with
notice" instead: deleting tells no one."""

from datetime import datetime

import pytest
from django.urls import reverse

from tests.conftest import CHICAGO
from tests.factories import MeetingFactory
from tests.meetings.test_staff_actions import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_user(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="unused")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "3 people asked for reminders"), ("es", "3 personas pidieron recordatorios")],
)
def test_deleting_a_meeting_with_subscribers_points_to_cancel_with_notice(
    frozen_now, admin_client_user, language, words
):
    meeting = MeetingFactory(starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO))
    subscribe(meeting, "sms", "es", 3)
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])
    html = admin_client_user.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in html
    assert reverse("admin:meetings_meeting_cancel") + f"?ids={meeting.pk}" in html
    changelist = reverse("admin:meetings_meeting_changelist")
    data = {"action": "delete_selected", "_selected_action": [meeting.pk]}
    html = admin_client_user.post(changelist, data, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in html


def test_deleting_a_meeting_nobody_follows_has_no_warning(frozen_now, admin_client_user):
    meeting = MeetingFactory()
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])
    html = admin_client_user.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "asked for reminders" not in html
