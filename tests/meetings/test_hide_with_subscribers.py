"""Officer's audit: unticking "Publicada" on a meeting people asked reminders for stopped
their reminders without a word to anyone, and the link in their texts opened "not found".
Hiding it is refused, with the tools that tell them."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def unpublish(staff_client, meeting, headers):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = staff_client.get(url, **headers).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data.pop("published", None)  # the box unticked
    data |= {"spoken_languages": ["es"], "reminder_offsets": form.initial["reminder_offsets"]}
    return staff_client.post(url, data | {"_save": "1"}, **headers)


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (EN, ["2 people asked for reminders", "Cancel with notice"]),
        (ES, ["2 personas pidieron recordatorios", "Cancelar y avisar"]),
    ],
)
def test_a_meeting_with_subscribers_cannot_be_hidden_without_a_word(
    frozen_now, staff_client, headers, words
):
    meeting = MeetingFactory()
    SubscriptionFactory(meeting=meeting)
    SubscriptionFactory(meeting=meeting, language="en")
    response = unpublish(staff_client, meeting, headers)
    assert response.status_code == 200
    html = response.content.decode()
    for word in words:
        assert word in html
    assert Meeting.objects.get(pk=meeting.pk).published


def test_a_meeting_nobody_asked_about_can_be_hidden(frozen_now, staff_client):
    meeting = MeetingFactory()
    assert unpublish(staff_client, meeting, EN).status_code == 302
    assert not Meeting.objects.get(pk=meeting.pk).published
