"""The line that tells people without internet how to join by text: "¿Sin internet? Envíe
REUNION al (214) 555-0100" on the meeting page, the flyers and the HELP reply, only when a
join number is configured."""

import pytest
from django.utils import translation

from meetings import flyers
from reminders import join
from tests.factories import MeetingFactory
from tests.reminders.test_webhooks import TOKEN, reply_of, text_us

pytestmark = pytest.mark.django_db

LINE_ES = "¿Sin internet? Envíe REUNION al (214) 555-0100"
LINE_EN = "No internet? Text MEETING to (214) 555-0100"


@pytest.fixture
def join_number(settings):
    settings.SMS_JOIN_NUMBER = "+12145550100"
    settings.TWILIO_AUTH_TOKEN = TOKEN


def test_the_line_comes_from_one_function_in_each_language(join_number):
    assert join.sms_join_line("es") == LINE_ES
    assert join.sms_join_line("en") == LINE_EN
    assert flyers.sms_join_line("es") == LINE_ES  # what the flyers print


def test_no_join_number_no_line(settings):
    settings.SMS_JOIN_NUMBER = ""
    assert join.sms_join_line("es") is None
    assert flyers.sms_join_line("en") is None


def test_a_resident_without_internet_reads_the_line_on_the_meeting_page(client, join_number):
    meeting = MeetingFactory()
    with translation.override("es"):
        page = client.get(meeting.get_absolute_url())
    assert LINE_ES in page.content.decode()
    assert LINE_EN in client.get(meeting.get_absolute_url()).content.decode()


def test_the_meeting_page_has_no_line_without_a_join_number(client, settings):
    settings.SMS_JOIN_NUMBER = ""
    meeting = MeetingFactory()
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    assert "Sin internet" not in page.content.decode()


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("AYUDA", "Policía de Dallas: Para ver las próximas reuniones, envíe REUNION."),
        ("HELP", "Dallas Police: To see the next meetings, text MEETING."),
    ],
)
def test_help_reply_tells_how_to_join(client, frozen_now, join_number, body, line):
    # A second text that names the sender like every text; no number: they are texting it.
    assert line in reply_of(text_us(client, body))


def test_help_reply_has_no_line_without_a_join_number(client, frozen_now, settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_JOIN_NUMBER = ""
    assert "Sin internet" not in reply_of(text_us(client, "AYUDA"))
