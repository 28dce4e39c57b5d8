"""Every public page: Spanish all the way through, nothing loaded from elsewhere, no 500s, fast."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meetings.enums import MeetingStatus, Parking, Transit
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

SITE = "https://meetings.example.org"
LOCALE = Path(settings.BASE_DIR, "locale")
SPANISH_PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
# Every language the site is read in but English (the catalogue's source): the enabled ones
# (LANGUAGES) and every one the project ships a catalogue for.
READ_IN = sorted(
    ({code for code, _ in settings.LANGUAGES} | {path.name for path in LOCALE.iterdir()})
    - {"en", "tools"}
)


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def meetings(frozen_now):
    """A meeting with every fact filled in and a cancelled one, at Spanish-named venues."""
    venue = VenueFactory(name="Iglesia Santa María", street_address="1200 Calle Ocho")
    scheduled = MeetingFactory(
        venue=venue,
        interpretation=True,
        step_free_access=True,
        parking=Parking.STREET,
        transit=Transit.BUS_FAR,
        spoken_languages=["es", "en", "vi", "ase"],
    )
    cancelled = MeetingFactory(
        venue=VenueFactory(name="Escuela Benito Juárez"), status=MeetingStatus.CANCELLED
    )
    return scheduled, cancelled


def public_pages(language: str, scheduled, cancelled) -> list[tuple[str, int]]:
    """Every page a resident can reach, with the status it should answer."""
    return [
        (f"/{language}/", 200),
        (url_in(language, "meetings:detail", slug=scheduled.slug), 200),
        (url_in(language, "meetings:detail", slug=cancelled.slug), 200),
        (url_in(language, "meetings:privacy"), 200),
        (url_in(language, "meetings:faq"), 200),
        (url_in(language, "meetings:detail", slug="no-such-meeting"), 404),
    ]


class PageReader(HTMLParser):
    """Collects what a reader of the page's language sees or hears (skipping text marked as
    another language, lang="en"), and every address the browser would load by itself."""

    VOID = {"meta", "link", "img", "input", "br", "hr", "source", "area", "base", "col", "wbr"}
    SPOKEN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "content", "value")

    def __init__(self, language: str = "es") -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, str | None, bool]] = []
        self.spanish_text: list[str] = []
        self.loaded: list[str] = []
        self.inline_styles: list[str] = []
        self.inline_scripts: list[str] = []

    def _english(self) -> bool:
        """Inside text marked as written in another language than the page's."""
        return any(lang not in (None, self.language) for _, lang, _ in self.stack)

    def _in_data_block(self) -> bool:
        return any(data for _, _, data in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes or tag == "style":
            self.inline_styles.append(tag)
        if any(name.startswith("on") for name in attributes):
            self.inline_scripts.append(tag)
        data_block = tag == "script" and attributes.get("type") == "application/ld+json"
        if tag == "script" and "src" not in attributes and not data_block:
            self.inline_scripts.append(tag)
        if tag != "a":  # links are navigation: nothing loads until the resident taps
            self.loaded += [
                attributes[n]
                for n in ("src", "href", "srcset", "poster", "data")
                if attributes.get(n)
            ]
        if not self._english() and attributes.get("lang") in (None, self.language):
            self.spanish_text += [
                attributes[a] for a in self.SPOKEN_ATTRIBUTES if attributes.get(a)
            ]
        if tag not in self.VOID:
            self.stack.append((tag, attributes.get("lang"), data_block))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._english() and not self._in_data_block():
            self.spanish_text.append(data)


def read(html: str, language: str = "es") -> PageReader:
    reader = PageReader(language)
    reader.feed(html)
    return reader


def english_ui_strings(language: str = "es") -> set[str]:
    """English phrases of our catalogue whose translation differs: none may show on a page in
    that language.

    Keywords written in capitals (STOP, HELP) are the same in both languages on purpose, and
    URL fragments are not phrases; both are left out.
    """
    phrases = set()
    for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if entry.obsolete or entry.msgstr == msgid or "/" in msgid:
                continue
            for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", msgid):
                part = part.strip(" .,:;")
                if re.search(r"[a-z]", part) and len(part) >= 3:
                    phrases.add(part)
    return phrases


def test_the_catalogue_gives_the_spanish_page_test_something_to_find():
    phrases = english_ui_strings()
    assert {"What to expect", "Upcoming meetings", "Free"} <= phrases


def english_on(html: str, phrases: set[str], language: str = "es") -> list[str]:
    """The English UI phrases a reader of the page's language would meet on this page."""
    # Web addresses shown as text (the copy-link field, the share message) are not UI words.
    text = re.sub(r"https?://\S+", " ", " ".join(read(html, language).spanish_text))
    return sorted(p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text))


@pytest.mark.parametrize("language", READ_IN)
def test_no_page_in_another_language_shows_an_english_ui_string(
    client, meetings, settings, language
):
    if language not in {code for code, _ in settings.LANGUAGES}:
        settings.LANGUAGES = [*settings.LANGUAGES, (language, language)]
    for meeting in meetings:  # the staff's own text in that language, as the demo has it
        for field in ("title", "description", "host"):
            setattr(meeting, f"{field}_{language}", f"«{language} {meeting.pk} {len(field)}»")
        meeting.save()
    phrases = english_ui_strings(language)
    for url, status in public_pages(language, *meetings):
        response = client.get(url)
        assert response.status_code == status, url
        found = english_on(response.content.decode(), phrases, language)
        assert not found, f"{url} shows English UI strings: {found}"


def test_the_check_would_catch_one_untranslated_heading(client, meetings):
    url = url_in("es", "meetings:detail", slug=meetings[0].slug)
    html = client.get(url).content.decode()
    broken = html.replace("Lo que debe saber", "What to expect")
    phrases = english_ui_strings()
    assert set(english_on(broken, phrases)) - set(english_on(html, phrases)) == {"What to expect"}


@pytest.mark.parametrize("language", ["es", "en"])
def test_pages_load_nothing_from_other_sites_and_have_no_inline_code(client, meetings, language):
    for url, status in public_pages(language, *meetings):
        response = client.get(url)
        assert response.status_code == status
        page = read(response.content.decode())
        outside = [
            a for a in page.loaded if re.match(r"(?i)^(https?:)?//", a) and not a.startswith(SITE)
        ]
        assert outside == [], url
        assert page.inline_styles == [], url
        assert page.inline_scripts == [], url


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_has_one_h1_a_main_landmark_and_a_skip_link(client, meetings, language):
    for url, _status in public_pages(language, *meetings):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert html.count('<main id="main"') == 1, url
        assert '<a class="skip" href="#main">' in html, url
        assert f'<html lang="{language}" dir="ltr">' in html, url


def test_meeting_page_actions_are_big_enough_to_tap(client, meetings):
    css = Path(settings.BASE_DIR, "static", "css", "site.css").read_text()
    button_rule = re.search(r"\.button\{([^}]*)\}", css).group(1)
    assert "min-height:44px" in button_rule
    html = client.get(url_in("es", "meetings:detail", slug=meetings[0].slug)).content.decode()
    actions = re.findall(r'<ul class="actions">(.*?)</ul>', html, re.S)
    links = re.findall(r"<a [^>]*>", "".join(actions))
    assert len(links) == 4
    assert all('class="button"' in link for link in links)


# --- Addresses nobody should be able to break ---------------------------------------------

ODD_ADDRESSES = [
    "/fr/",
    "/fr/meetings/x/",
    "/es/reuniones/no-existe/",
    "/es/reuniones/Not A Slug/",
    "/es/reuniones/reunión-ñ/",
    "/es/reuniones/%00/",
    "/es/reuniones/..%2F..%2Fetc%2Fpasswd/",
    "/es/reuniones/" + "a" * 5000 + "/",
    "/es/reuniones/x/calendario.ics/extra",
    "/es/reuniones/x/calendario.ics",
    "/es/meetings/x/",
    "/es/%ff/",
    "/xx-yy/",
]


@pytest.mark.parametrize("address", ODD_ADDRESSES)
def test_odd_addresses_get_the_translated_404_never_a_500(client, address):
    response = client.get(address, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert "No encontramos esa página" in response.content.decode()


def test_an_english_address_gets_the_english_404_whatever_the_browser_says(client):
    response = client.get("/en/reuniones/x/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_bad_language_prefix_answers_in_the_browsers_language(client):
    english = client.get("/fr/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "We could not find that page" in english
    assert '<a href="/es/" hreflang="es" lang="es" dir="ltr">Español</a>' in english


@pytest.mark.parametrize(
    "query",
    ["?utm_source=x", "?a=%ff%fe", "?q=<script>alert(1)</script>", "?" + "x=1&" * 500, "?%00=%00"],
)
def test_odd_query_strings_change_nothing(client, meetings, query):
    scheduled, _ = meetings
    for url in (
        "/es/",
        url_in("es", "meetings:detail", slug=scheduled.slug),
        url_in("es", "meetings:privacy"),
        url_in("es", "meetings:feed_ics"),
    ):
        response = client.get(url + query)
        assert response.status_code == 200, url + query
        assert b"<script>alert" not in response.content


def test_unpublished_meeting_is_a_404_even_with_its_exact_address(client, frozen_now):
    draft = MeetingFactory(published=False)
    response = client.get(url_in("es", "meetings:detail", slug=draft.slug))
    assert response.status_code == 404
    assert "No encontramos esa página" in response.content.decode()


def test_pages_refuse_to_be_posted_to(client, meetings):
    assert client.post("/es/").status_code == 405


def test_a_server_error_shows_a_translated_page(client, settings):
    settings.ROOT_URLCONF = "tests.meetings.urls_with_error"
    client.raise_request_exception = False
    response = client.get("/es/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="es" dir="ltr">' in html
    assert "Algo salió mal de nuestro lado" in html
    english = client.get("/en/boom/").content.decode()
    assert "Something went wrong on our side" in english


# --- Speed: a constant number of queries ------------------------------------------------------


def make_meetings(count: int) -> list:
    venues = [VenueFactory() for _ in range(5)]
    start = datetime(2027, 2, 2, 9, 0, tzinfo=CHICAGO)
    return [
        MeetingFactory(venue=venues[n % 5], starts_at=start + timedelta(hours=5 * n))
        for n in range(count)
    ]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("language", ["es", "en"])
def test_upcoming_and_meeting_pages_run_the_same_few_queries_for_5_or_200_meetings(
    client, settings, frozen_now, language
):
    settings.PAGE_CACHE_SECONDS = 0  # the pages' own queries (a cache hit: test_pagecache.py)

    def measure(meeting) -> tuple[int, int, int]:
        return (
            queries_for(client, f"/{language}/"),
            queries_for(client, url_in(language, "meetings:detail", slug=meeting.slug)),
            queries_for(client, url_in(language, "meetings:feed_ics")),
        )

    few = make_meetings(5)
    with_five = measure(few[-1])
    many = make_meetings(195)
    with_two_hundred = measure(many[-1])
    assert with_five == with_two_hundred
    assert max(with_two_hundred) <= 4
