"""A form label that is a question ends with the language's own question mark and no colon
after it: Django puts ":" after a label unless it ends with one of the characters of its
translated ":?.!", so Arabic adds "؟" there (an Arabic reader saw "…نذكّركم؟:"; issue 13)."""

import re

import pytest
from django.utils import translation

from reminders.forms import CodeForm, RemindMeForm
from tests.conftest import FOUR_LANGUAGES
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

FOUR = FOUR_LANGUAGES
# A sentence's end (Latin or Arabic question mark, full stop, exclamation) followed by a colon.
PUNCTUATION_THEN_COLON = re.compile(r"[?؟.!]\s*:")


def labels(language: str) -> list[str]:
    with translation.override(language):
        found = []
        for form in (RemindMeForm(), CodeForm()):
            for name in form.fields:
                field = form[name]
                tag = field.legend_tag() if field.use_fieldset else field.label_tag()
                found.append(re.sub(r"<[^>]+>", "", str(tag)))
        return found


@pytest.mark.parametrize("language", ["es", "en", "vi", "ar"])
def test_no_label_puts_a_colon_after_its_question_mark(settings, language):
    settings.LANGUAGES = FOUR
    found = labels(language)
    assert found and not [label for label in found if PUNCTUATION_THEN_COLON.search(label)]


def test_the_arabic_reminder_form_asks_its_question_without_a_colon(client, settings, frozen_now):
    settings.LANGUAGES = FOUR
    meeting = MeetingFactory()
    with translation.override("ar"):
        page = client.get(meeting.get_absolute_url()).content.decode()
    assert "كيف تفضّلون أن نذكّركم؟</legend>" in page
    assert "؟:" not in page
