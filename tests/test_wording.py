"""Words that reassure: nothing a Spanish-speaking resident reads sounds like an arrest, a
command or an anglicism, and every text says who sends it and ends with a full sentence."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from meetings.models import Meeting, Venue
from reminders import messages
from reminders.keywords import Action
from tests.reminders.test_messages import SMS_KINDS as EVERY_SMS_KIND

LOCALE = Path(settings.BASE_DIR, "locale")
TEMPLATES = Path(settings.BASE_DIR, "templates")
SPANISH = settings.LANGUAGES[0][0]  # residents' language comes first in settings
ENGLISH = settings.LANGUAGE_CODE
# Every text a resident may get but the confirmation code (tests/reminders/test_messages.py).
SMS_KINDS = [kind for kind in EVERY_SMS_KIND if kind != "confirm"]

# Words an editor of public-service Spanish struck out, and why.
FORBIDDEN = {
    "detenid": "next to 'police', 'detenido' reads as arrested",
    "detener": "reads as arrest; say 'cancelar' or 'dejar de recibir'",
    "aplicar tarifas": "anglicism; say 'Puede haber cargos por mensajes y datos'",
    "aplicarse tarifas": "anglicism; say 'Puede haber cargos por mensajes y datos'",
    "Qué esperar": "calque of 'What to expect'; say 'Lo que debe saber'",
    "nfitrión": "reads as a party host; say 'A cargo de'",
    "alcance comunitario": "calque of 'outreach'",
    "estar en pie": "calque; say 'sí hay reunión' / 'se realizará'",
    "por la que preguntó": "awkward; say 'que pidió' / 'que le interesa'",
    "Lo esperamos": "assumes a man",
    "revisión": "a revision is a 'versión'",
    "ilustrativa": "say 'Dirección de ejemplo'",
    "analíticas": "jargon in the no-tracking footer",
    "ni scripts": "jargon in the no-tracking footer",
    "Añadir": "Spain Spanish beside our 'Agregar'",
    "añadir": "Spain Spanish beside our 'Agregar'",
    "Administración de Django": "staff should see the service's name",
    "eliminacion": "missing accent",
    "resultaria": "missing accent",
}
# English admin strings that leaked into the Spanish admin.
ENGLISH_ADMIN = [
    "- Select an option -",
    "Run",
    "Search %(name)s",
    "Filter by %(field_name)s",
    "Pagination %(name)s",
    "Pagination %(name)s entries",
    "Logout",
]


def spanish_entries() -> list[polib.POEntry]:
    entries = []
    for path in sorted(LOCALE.glob(f"{SPANISH}/LC_MESSAGES/*.po")):
        entries += [e for e in polib.pofile(str(path)) if not e.obsolete]
    return entries


def msgstrs() -> list[str]:
    texts = []
    for entry in spanish_entries():
        texts += [entry.msgstr, *entry.msgstr_plural.values()]
    return [t for t in texts if t]


def problems_in(text: str) -> list[str]:
    found = [f"{word!r}: {why}" for word, why in FORBIDDEN.items() if word in text]
    # ALTO is our opt-out keyword, never a bare command: always "responda ALTO …".
    found += [
        "bare ALTO"
        for m in re.finditer(r"\bALTO\b", text)
        if not re.search(r"[Rr]espond[ae] $", text[: m.start()])
    ]
    return found


def test_the_check_catches_each_kind_of_bad_word():
    assert problems_in("Sus recordatorios están detenidos")
    assert problems_in("Pueden aplicar tarifas de mensajes y datos.")
    assert problems_in("ALTO para no recibir más")
    assert not problems_in("Responda ALTO para no recibir más.")


def test_no_spanish_msgstr_reads_as_arrest_command_or_anglicism():
    found = {text: problems_in(text) for text in msgstrs() if problems_in(text)}
    assert found == {}


def test_spanish_uses_one_kind_of_quotation_marks():
    # «…» in Spanish; straight or curly double quotes are English habits.
    found = [t for t in msgstrs() if re.search(r"[“”\"]", re.sub(r"<[^>]*>", "", t))]
    assert found == []


def test_no_template_says_a_forbidden_word():
    found = {}
    for path in TEMPLATES.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".txt"}:
            bad = [w for w in FORBIDDEN if w in path.read_text()]
            if bad:
                found[str(path.relative_to(TEMPLATES))] = bad
    assert found == {}


def test_the_english_admin_strings_have_spanish_words():
    with translation.override(SPANISH):
        untranslated = [s for s in ENGLISH_ADMIN if translation.gettext(s) == s]
        assert untranslated == []
        assert translation.gettext("Add") == "Agregar"


@pytest.mark.django_db
def test_demo_data_reads_well_in_spanish(frozen_now):
    call_command("seed_demo", verbosity=0)
    texts = []
    for meeting in Meeting.objects.all():
        texts += [meeting.title_es, meeting.description_es, meeting.host_es]
    for venue in Venue.objects.all():
        texts += [venue.name, venue.notes_es]
    from meetings.models import PolicyStatement

    for statement in PolicyStatement.objects.all():
        texts += [statement.question_es, statement.answer_es]
    found = {t: problems_in(t) for t in texts if t and problems_in(t)}
    assert found == {}
    assert all("Dirección de ejemplo" in v.notes_es for v in Venue.objects.all())


def render_all(language: str, meeting: Meeting) -> dict[str, messages.Rendered]:
    def build() -> dict:
        return {
            **messages.meeting_context(meeting),
            "code": "123456",
            "unsubscribe_url": "https://x/u",
            "confirm_url": "https://x/c",
        }

    out = {}
    for kind in SMS_KINDS + ["confirm"]:
        out[kind] = messages.render(kind, language, build, sms_only=kind in {"welcome"})
    return out


@pytest.mark.django_db
def test_every_spanish_message_reads_well(frozen_now):
    call_command("seed_demo", verbosity=0)
    meeting = Meeting.objects.select_related("venue").first()
    for kind, rendered in render_all(SPANISH, meeting).items():
        for part in (rendered.subject, rendered.text, rendered.html, rendered.sms):
            assert problems_in(part) == [], (kind, part)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "ending"),
    [(SPANISH, "Responda ALTO para no recibir más."), (ENGLISH, "Reply STOP to opt out.")],
)
def test_every_text_names_one_sender_and_ends_with_how_to_stop(frozen_now, language, ending):
    from outreach import department
    from reminders.webhooks import reply

    call_command("seed_demo", verbosity=0)
    meeting = Meeting.objects.select_related("venue").first()
    with translation.override(language):
        sender = department.sms_sender()
    for kind, rendered in render_all(language, meeting).items():
        assert rendered.sms.startswith(sender), (kind, rendered.sms)
        if kind != "confirm":  # the code text sends nothing more if ignored
            assert rendered.sms.endswith(ending), (kind, rendered.sms)
    for action in Action:
        assert reply(action, language).startswith(sender), action


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "spanish", "english"),
    [
        ("changed", "CAMBIO en la reunión. Ahora es: ", "CHANGED. Now: "),
        ("back_on", "SÍ HAY REUNIÓN: ", "the meeting IS ON: "),
        ("welcome", "Puede haber cargos por mensajes y datos.", "Msg & data rates may apply."),
    ],
)
def test_notices_say_plainly_what_happened(frozen_now, kind, spanish, english):
    call_command("seed_demo", verbosity=0)
    meeting = Meeting.objects.select_related("venue").first()
    assert spanish in render_all(SPANISH, meeting)[kind].sms
    assert english in render_all(ENGLISH, meeting)[kind].sms
