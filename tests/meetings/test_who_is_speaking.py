"""Who runs the site and how to reach a person, said the same way everywhere (one source: the
DEPARTMENT setting), and the questions a frightened resident asks first, answered plainly."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from meetings.models import PolicyStatement
from outreach import department
from reminders.keywords import Action
from reminders.webhooks import reply
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dallas(settings):
    settings.DEPARTMENT = {
        **settings.DEPARTMENT,
        "phone": "214-555-0199",
        "address": "1400 S. Lamar St., Dallas, TX 75215",
        "city": "Dallas",
    }
    return settings.DEPARTMENT


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize(
    ("language", "name"), [("es", "Policía de Dallas"), ("en", "Dallas Police")]
)
def test_every_page_says_who_runs_it_and_how_to_call(client, dallas, language, name):
    for page in ("meetings:upcoming", "meetings:privacy", "meetings:faq"):
        html = client.get(url_in(language, page)).content.decode()
        assert name in html, page
        assert "214-555-0199" in html and 'href="tel:+12145550199"' in html, page


def test_the_privacy_page_gives_the_address_to_write_to(client, dallas):
    html = client.get(url_in("es", "meetings:privacy")).content.decode()
    assert "1400 S. Lamar St., Dallas, TX 75215" in html


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_help_reply_gives_the_phone_number(dallas, language):
    assert "214-555-0199" in reply(Action.HELP, language)


def test_the_flyer_says_who_is_speaking(frozen_now, staff_client, dallas):
    meeting = MeetingFactory()
    html = staff_client.get(reverse("admin:meetings_meeting_flyer", args=[meeting.pk])).content
    html = html.decode()
    assert "Departamento de Policía de Dallas" in html and "Dallas Police Department" in html
    assert "214-555-0199" in html


def test_the_department_name_follows_the_language(dallas):
    with translation.override("es"):
        assert department.name() == "Departamento de Policía de Dallas"
    with translation.override("en"):
        assert department.name() == "Dallas Police Department"


@pytest.mark.parametrize(
    ("language", "questions"),
    [
        (
            "es",
            [
                "¿Me van a pedir papeles",
                "¿Pueden darle mi número a inmigración?",
                "¿Quién puede ver mi número?",
                "¿Cuándo se borra mi número?",
                "¿Puedo ir sin inscribirme?",
            ],
        ),
        (
            "en",
            [
                "Will anyone ask for my papers",
                "Can my phone number be given to immigration?",
                "Who can see my number?",
                "When is my number deleted?",
                "Can I come without signing up?",
            ],
        ),
    ],
)
def test_the_questions_page_answers_what_residents_ask_first(client, language, questions):
    call_command("seed_demo", verbosity=0)
    html = client.get(url_in(language, "meetings:faq")).content.decode()
    for question in questions:
        assert question in html
    # The department's own words, entered by staff, come first.
    first = PolicyStatement.objects.order_by("order").first()
    with translation.override(language):
        assert first.question in html and first.answer in html


def test_the_questions_page_states_only_what_the_software_guarantees(client, settings):
    settings.REMINDERS_RETENTION_DAYS = 9
    html = client.get(url_in("es", "meetings:faq")).content.decode()
    assert "9 días después" in html  # the real deletion delay, from settings
    assert "cifrado" in html and "no se exporta" in html
    assert "no guarda quién" in html  # "I plan to go" keeps no identity


def test_the_footer_links_the_questions_page(client):
    html = client.get(url_in("es", "meetings:upcoming")).content.decode()
    assert f'href="{url_in("es", "meetings:faq")}"' in html and "Preguntas frecuentes" in html
    html = client.get(url_in("en", "meetings:upcoming")).content.decode()
    assert f'href="{url_in("en", "meetings:faq")}"' in html and "Questions" in html


def test_staff_can_edit_the_policy_statements_in_both_languages(staff_client, settings):
    settings.LANGUAGES = settings.LANGUAGES[:2]  # Spanish and English, whatever LANGUAGES says
    url = reverse("admin:meetings_policystatement_add")
    response = staff_client.post(
        url,
        {
            "question_en": "Do officers ask about status?",
            "question_es": "¿Los oficiales preguntan por el estatus?",
            "answer_en": "No.",
            "answer_es": "No.",
            "order": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PolicyStatement.objects.get().question_es.startswith("¿Los oficiales")


@pytest.mark.parametrize(
    ("language", "name"), [("es", "Departamento de Policía"), ("en", "Police Department")]
)
def test_every_email_is_signed_by_the_department_with_its_phone(dallas, frozen_now, language, name):
    from reminders import messages

    meeting = MeetingFactory()

    def build() -> dict:
        return {**messages.meeting_context(meeting), "unsubscribe_url": "https://x/u"}

    for kind in ("reminder_24h", "cancelled", "changed", "back_on"):
        rendered = messages.render(kind, language, build)
        for body in (rendered.text, rendered.html):
            assert name in body and "214-555-0199" in body, (kind, body)
