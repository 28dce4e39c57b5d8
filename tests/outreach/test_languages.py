"""Languages are configuration: LANGUAGES=es,en,vi,ar gives Vietnamese and Arabic readers the
same site, in their own language and script, with no change to the code."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from meetings import audience, completeness
from meetings.models import Meeting, PolicyStatement
from outreach import languages
from tests.conftest import FOUR_LANGUAGES
from tests.factories import MeetingFactory

FOUR = FOUR_LANGUAGES


@pytest.fixture
def four_languages(settings):
    settings.LANGUAGES = FOUR
    return settings


def start_with(variables: dict[str, str], code: str, tmp_path: Path):
    environment = {
        **os.environ,
        **variables,
        "DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "outreach.settings",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"from django.conf import settings; print({code})"],
        env=environment,
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=False,
    )


# --- The setting ----------------------------------------------------------------------------


def test_languages_come_from_the_environment_in_their_order(tmp_path):
    code = "([c for c, _ in settings.LANGUAGES], settings.LANGUAGE_CODE)"
    four = start_with({"LANGUAGES": "es,en,vi,ar"}, code, tmp_path)
    assert four.stdout.strip() == "(['es', 'en', 'vi', 'ar'], 'en')"
    default = start_with({"LANGUAGES": ""}, code, tmp_path)
    assert default.stdout.strip() == "(['es', 'en'], 'en')"
    without_english = start_with({"LANGUAGES": "vi,es"}, code, tmp_path)
    assert without_english.stdout.strip() == "(['vi', 'es'], 'vi')"


def test_an_unknown_language_stops_start_up(tmp_path):
    result = start_with({"LANGUAGES": "es,xx"}, "settings.LANGUAGES", tmp_path)
    assert result.returncode != 0
    assert "LANGUAGES: 'xx' is not a language code Django knows." in result.stderr


def test_every_install_has_the_same_columns_whatever_it_enables(tmp_path):
    code = "sorted(settings.MODELTRANSLATION_LANGUAGES)"
    two = start_with({"LANGUAGES": "es,en"}, code, tmp_path).stdout
    four = start_with({"LANGUAGES": "es,en,vi,ar"}, code, tmp_path).stdout
    assert two == four


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_switch_names_each_other_language_in_itself_and_keeps_the_page(
    client, four_languages, frozen_now
):
    meeting = MeetingFactory()
    html = client.get(f"/es/reuniones/{meeting.slug}/").content.decode()
    switch = re.search(r'<nav aria-label="Idioma" class="langs">(.*?)</nav>', html, re.S)
    links = re.findall(
        r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+" dir="(\w+)">([^<]+)</a>', switch.group(1)
    )
    assert links == [
        (f"/en/meetings/{meeting.slug}/", "en", "ltr", "English"),
        (f"/vi/{_path('vi', meeting)}", "vi", "ltr", "Tiếng Việt"),
        (f"/ar/{_path('ar', meeting)}", "ar", "rtl", "العربيّة"),
    ]


def _path(code: str, meeting: Meeting) -> str:
    with translation.override(code):
        return reverse("meetings:detail", kwargs={"slug": meeting.slug})[len(code) + 2 :]


@pytest.mark.django_db
def test_every_enabled_language_is_an_hreflang_alternate(client, four_languages, frozen_now):
    html = client.get("/en/").content.decode()
    found = re.findall(r'<link rel="alternate" hreflang="(\w+)"', html)
    assert found == ["es", "en", "vi", "ar"]


@pytest.mark.django_db
def test_arabic_pages_are_written_right_to_left(client, four_languages, frozen_now):
    MeetingFactory()
    assert '<html lang="ar" dir="rtl">' in client.get("/ar/").content.decode()
    assert '<html lang="vi" dir="ltr">' in client.get("/vi/").content.decode()
    assert '<html lang="es" dir="ltr">' in client.get("/es/").content.decode()


@pytest.mark.django_db
def test_a_disabled_language_has_no_pages(client, settings, frozen_now):
    settings.LANGUAGES = FOUR[:2]
    assert client.get("/vi/").status_code == 404


def test_the_stylesheet_mirrors_with_logical_properties():
    css = (Path(django_settings.BASE_DIR) / "static/css/site.css").read_text()
    assert not re.search(r"(?<![\w-])(left|right)\s*:|-(left|right)\s*:", css)


# --- Reminders, counts and publishing ---------------------------------------------------------


@pytest.mark.django_db
def test_reminders_are_offered_in_every_enabled_language(client, four_languages, frozen_now):
    meeting = MeetingFactory()
    html = client.get(f"/en/meetings/{meeting.slug}/").content.decode()
    offered = re.findall(r'name="language" value="(\w+)"', html)
    assert offered == ["es", "en", "vi", "ar"]
    assert re.search(r'name="language" value="en"[^>]*checked', html)


@pytest.mark.django_db
def test_counts_by_language_are_keyed_by_code(four_languages, frozen_now):
    from reminders.enums import Channel
    from tests.factories import SubscriptionFactory

    meeting = MeetingFactory()
    SubscriptionFactory(meeting=meeting, contact="+17135550101", language="vi")
    SubscriptionFactory(meeting=meeting, contact="+17135550102", language="ar")
    SubscriptionFactory(meeting=meeting, channel=Channel.EMAIL, contact="an@example.org")
    counts = audience.audience(meeting.pk)
    assert counts.by_language() == {
        "sms": {"es": 0, "en": 0, "vi": 1, "ar": 1},
        "email": {"es": 1, "en": 0, "vi": 0, "ar": 0},
    }
    with translation.override("en"):
        assert counts.by_language_text() == (
            "SMS: 0 in Spanish, 0 in English, 1 in Vietnamese, 1 in Arabic · "
            "Email: 1 in Spanish, 0 in English, 0 in Vietnamese, 0 in Arabic"
        )


def test_the_languages_a_meeting_needs_before_publishing_are_a_setting(four_languages):
    spanish_only = {"title_es": "Reunión", "description_es": "Venga."}
    assert languages.publish_required() == ["es"]
    assert completeness.may_publish(spanish_only)
    four_languages.PUBLISH_LANGUAGES = ["es", "vi"]
    assert not completeness.may_publish(spanish_only)
    assert completeness.may_publish({**spanish_only, "title_vi": "Họp", "description_vi": "Mời"})
    with translation.override("en"):
        assert str(completeness.PUBLISH_ERROR) == (
            "A meeting cannot be published without its title and description in Spanish and "
            "Vietnamese. Add them on those language tabs first."
        )


@pytest.mark.django_db
def test_missing_text_names_each_enabled_language(four_languages, frozen_now):
    meeting = MeetingFactory()
    with translation.override("en"):
        assert completeness.describe_missing(meeting) == (
            "Vietnamese: title, description, host; Arabic: title, description, host"
        )


# --- The demo ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_fills_vietnamese_and_arabic_when_they_are_enabled(four_languages, frozen_now):
    call_command("seed_demo", stdout=io.StringIO())
    meeting = Meeting.objects.first()
    assert meeting.title_vi.startswith("Buổi họp cộng đồng")
    assert meeting.title_ar.startswith("لقاء مجتمعي")
    assert meeting.venue.notes_ar and meeting.venue.notes_vi
    assert all(p.answer_vi and p.answer_ar for p in PolicyStatement.objects.all())
    assert not completeness.describe_missing(meeting)


@pytest.mark.django_db
def test_the_demo_leaves_disabled_languages_empty(settings, frozen_now):
    settings.LANGUAGES = FOUR[:2]
    call_command("seed_demo", stdout=io.StringIO())
    assert not Meeting.objects.filter(title_vi__gt="").exists()


# --- SMS keywords -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "action", "language"),
    [
        ("Dừng", "stop", "vi"),
        ("dung lai", "stop", "vi"),
        ("Giúp đỡ", "help", "vi"),
        ("bat dau", "start", "vi"),
        ("إيقاف", "stop", "ar"),
        ("ايقاف", "stop", "ar"),
        ("مساعدة", "help", "ar"),
        ("ابدأ", "start", "ar"),
        ("STOP", "stop", "en"),
        ("HELP", "help", "en"),
    ],
)
def test_vietnamese_and_arabic_keywords_act_and_name_their_language(message, action, language):
    from reminders.keywords import classify

    keyword = classify(message)
    assert (keyword.action, keyword.language) == (action, language)


def test_the_answer_to_a_keyword_comes_in_its_language_when_it_is_enabled(four_languages):
    from reminders.keywords import Action
    from reminders.webhooks import reply

    assert reply(Action.STOP, "vi").startswith("Cảnh sát Dallas: Quý vị sẽ không nhận thêm")
    assert reply(Action.HELP, "ar").startswith("شرطة دالاس: تذكيرات باللقاءات المجتمعية")
    assert "STOP" in reply(Action.HELP, "ar")


def test_an_unknown_senders_answer_keeps_to_two_languages(settings):
    from reminders.keywords import Action
    from reminders.webhooks import reply

    settings.LANGUAGES = FOUR
    text = reply(Action.OTHER, "")
    assert text.count(" / ") == 1 and "STOP" in text
