"""A staff save renders the pages it changed: the next visitor gets them from the cache.

Each test is the same story: residents have the pages open (kept in the page cache), staff
change something, and the first resident to come back after the commit, in any language, is
served the changed page from the shared cache (X-Page-Cache: hit), not a fresh render.
"""

import logging
import socket
import time
from datetime import datetime, timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.models import PolicyStatement
from outreach import pagecache, prerender
from outreach.pageversion import VERSION_KEY
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def commit(django_capture_on_commit_callbacks, run_after_commit):
    """What a block leaves to after its commit, run as the commit would (the tests themselves
    run in one transaction that never commits), Celery tasks inline (run_after_commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def visit(url, **headers):
    response = Client(**headers).get(url)
    assert response.status_code == 200
    return response.get("X-Page-Cache"), response.content.decode()


def meeting_renamed(commit, title: str):
    """A published meeting, then staff giving it a new English title, each in its own commit."""
    with commit():
        meeting = MeetingFactory()
    with commit():
        meeting.title_en = title
        meeting.save()
    return meeting


def english_page(meeting) -> str:
    with translation.override("en"):
        return reverse("meetings:detail", kwargs={"slug": meeting.slug})


def addresses(meeting=None) -> dict[str, list[str]]:
    """Every language's upcoming, questions and privacy pages, and the meeting's page."""
    found = {}
    for code, _name in settings_languages():
        with translation.override(code):
            names = ["meetings:upcoming", "meetings:faq", "meetings:privacy"]
            found[code] = [reverse(name) for name in names]
            if meeting is not None:
                found[code].append(reverse("meetings:detail", kwargs={"slug": meeting.slug}))
    return found


def settings_languages():
    from django.conf import settings

    return settings.LANGUAGES


def test_after_staff_rename_a_meeting_every_language_is_served_from_the_cache(frozen_now, commit):
    with commit():
        meeting = MeetingFactory(title_en="Coffee with officers", title_es="Café con oficiales")
    pages = [url for urls in addresses(meeting).values() for url in urls]
    for url in pages:
        visit(url)
    with commit():
        meeting.title_en = "Coffee with the interim chief"
        meeting.title_es = "Café con el jefe interino"
        meeting.save()
    for code, urls in addresses(meeting).items():
        for url in urls:
            state, html = visit(url)
            assert state == "hit", url
        upcoming, *_rest, meeting_page = urls
        title = "Café con el jefe interino" if code == "es" else "Coffee with the interim chief"
        if code in ("es", "en"):
            assert title in visit(upcoming)[1] and title in visit(meeting_page)[1]


def test_an_admin_save_renders_the_pages_once(
    frozen_now, staff_client, django_capture_on_commit_callbacks, caplog, commit
):  # the callbacks themselves are counted here, so the capture is used directly
    with commit():
        meeting = MeetingFactory(title_en="Meet your officers")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {"title_en": "Meet the new chief", "spoken_languages": ["es", "en"], "_save": "1"}
    data = {k: v for k, v in data.items() if v is not False}
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, logger="outreach.prerender"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert staff_client.post(url, data).status_code == 302
    assert sum(isinstance(c, prerender.PagesToRender) for c in callbacks) == 1
    [line] = [r for r in caplog.records if "rendered after a change" in r.getMessage()]
    expected = sum(len(urls) for urls in addresses(meeting).values())
    assert line.rendered == line.pages == expected
    with translation.override("en"):
        english = reverse("meetings:detail", kwargs={"slug": meeting.slug})
    state, html = visit(english)
    assert state == "hit" and "Meet the new chief" in html


def test_a_venue_renamed_renders_the_pages_of_its_meetings(frozen_now, commit):
    with commit():
        venue = VenueFactory(name="Iglesia San José")
        meetings = [MeetingFactory(venue=venue), MeetingFactory(venue=venue)]
    with commit():
        venue.name = "Familia Bethel Internacional"
        venue.save()
    for meeting in meetings:
        for urls in addresses(meeting).values():
            state, html = visit(urls[-1])
            assert state == "hit"
            assert "Familia Bethel Internacional" in html


def test_a_new_answer_on_the_questions_page_is_served_from_the_cache(frozen_now, commit):
    with commit():
        PolicyStatement.objects.create(
            question_en="Do officers ask about immigration status?",
            question_es="¿Los oficiales preguntan por su situación migratoria?",
            answer_en="No.",
            answer_es="No.",
        )
    with translation.override("es"):
        state, html = visit(reverse("meetings:faq"))
    assert state == "hit"
    assert "situación migratoria" in html


def test_past_and_hidden_meetings_are_left_to_their_visitors(frozen_now):
    past = MeetingFactory(starts_at=datetime(2027, 1, 5, 18, 0, tzinfo=CHICAGO))
    hidden = MeetingFactory(published=False)
    coming = MeetingFactory()
    paths = prerender.page_paths(meeting_ids=[past.pk, hidden.pk, coming.pk])
    assert not any(past.slug in p or hidden.slug in p for p in paths)
    assert sum(coming.slug in p for p in paths) == len(settings_languages())


def test_a_season_at_one_venue_renders_only_its_soonest_meetings(frozen_now):
    venue = VenueFactory()
    start = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)
    season = [
        MeetingFactory(venue=venue, starts_at=start + timedelta(days=7 * i)) for i in range(12)
    ]
    paths = prerender.page_paths(venue_ids=[venue.pk])
    rendered = [m for m in season if any(m.slug in p for p in paths)]
    assert rendered == season[: prerender.MEETINGS_PER_CHANGE]


def test_a_save_rolled_back_in_a_savepoint_still_leaves_the_next_save_rendered(frozen_now, commit):
    with commit():
        first, second = MeetingFactory(), MeetingFactory()
    with commit() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                first.title_en = "Never saved"
                first.save()
                raise RuntimeError("staff pressed cancel")
        except RuntimeError:
            pass
        second.title_en = "Moved to the library"
        second.save()
    [pages] = [c for c in callbacks if isinstance(c, prerender.PagesToRender)]
    assert pages.meeting_ids == {second.pk}
    with translation.override("en"):
        state, html = visit(reverse("meetings:detail", kwargs={"slug": second.slug}))
    assert state == "hit" and "Moved to the library" in html


def test_a_page_that_fails_to_render_never_fails_the_save(frozen_now, commit, monkeypatch, caplog):
    with commit():
        meeting = MeetingFactory()

    def broken(*args, **kwargs):
        raise RuntimeError("the questions page is broken")

    monkeypatch.setattr(PolicyStatement.objects, "all", broken)
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, logger="outreach.prerender"),
        commit(),
    ):
        meeting.title_en = "Still saved"
        meeting.save()
    meeting.refresh_from_db()
    assert meeting.title_en == "Still saved"
    [line] = [r for r in caplog.records if "rendered after a change" in r.getMessage()]
    assert line.levelname == "WARNING"
    assert line.rendered == line.pages - len(settings_languages())  # all but the questions
    with translation.override("en"):
        assert visit(reverse("meetings:detail", kwargs={"slug": meeting.slug}))[0] == "hit"


def test_behind_the_https_proxy_the_rendered_page_is_the_one_visitors_get(
    settings, frozen_now, commit
):
    settings.SITE_URL = "https://testserver"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    meeting = meeting_renamed(commit, "Moved to the library")
    state, html = visit(english_page(meeting), HTTP_X_FORWARDED_PROTO="https")
    assert state == "hit" and "Moved to the library" in html


def test_rendering_leaves_the_staff_members_language_as_it_was(frozen_now, commit):
    with commit():
        meeting = MeetingFactory()
    with translation.override("en"), commit():
        meeting.save()
        language_after = translation.get_language()
    assert language_after == "en"


def test_the_request_log_says_which_pages_were_rendered_after_a_save(frozen_now, commit, caplog):
    with commit():
        meeting = MeetingFactory()
    with caplog.at_level(logging.INFO, logger="outreach.request"), commit():
        meeting.save()
    kinds = {r.cache for r in caplog.records if hasattr(r, "cache")}
    assert kinds == {"prerendered"}


def test_with_rendering_on_save_off_the_first_visitor_renders_the_page(
    settings, frozen_now, commit
):
    settings.RENDER_PAGES_ON_SAVE = False
    meeting = meeting_renamed(commit, "Moved to the library")
    state, html = visit(english_page(meeting))
    assert state == "miss" and "Moved to the library" in html


def test_with_the_cache_down_a_save_still_succeeds_and_renders_nothing(
    settings, frozen_now, commit, caplog
):
    with commit():
        meeting = MeetingFactory()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="outreach"), commit():
        meeting.title_en = "Saved while Redis was down"
        meeting.save()
    meeting.refresh_from_db()
    assert meeting.title_en == "Saved while Redis was down"
    messages = [r.getMessage() for r in caplog.records]
    assert "page cache: could not set a new version; trying again every second" in messages
    assert not any("rendered after a change" in m for m in messages)


# --- what the operator's audit brought (a slow Redis, a blip, a wrong address) -------------


def test_a_slow_save_stops_rendering_at_its_time_budget_and_says_what_it_left(
    settings, frozen_now, commit, caplog, monkeypatch
):
    """With Redis answering slowly, rendering 50 pages made an admin save outlast gunicorn's
    timeout: the save was kept, but staff saw an error page. Past the budget, the save
    returns and the pages left wait for their visitors."""
    with commit():
        meeting = MeetingFactory()
    monkeypatch.setattr(prerender, "TIME_BUDGET_SECONDS", 0.0)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="outreach.prerender"), commit():
        meeting.title_en = "Saved in time"
        meeting.save()
    [line] = [r for r in caplog.records if "rendered after a change" in r.getMessage()]
    assert line.levelname == "WARNING"
    assert f"to meeting {meeting.pk}" in line.getMessage()
    assert "left for their visitors (time budget)" in line.getMessage()
    with translation.override("en"):
        state, html = visit(reverse("meetings:detail", kwargs={"slug": meeting.slug}))
    assert state == "miss" and "Saved in time" in html


def test_the_most_visited_pages_are_rendered_first(frozen_now):
    meeting = MeetingFactory()
    paths = prerender.page_paths(meeting_ids=[meeting.pk])
    languages = len(settings_languages())
    first = paths[: 2 * languages]  # each language's upcoming list and the meeting's page
    assert sum(meeting.slug in p for p in first) == languages
    with translation.override("es"):
        assert reverse("meetings:upcoming") in first
        assert reverse("meetings:privacy") in paths[2 * languages :]


def test_a_site_url_the_site_refuses_renders_nothing_and_says_why_once(
    settings, frozen_now, commit, caplog
):
    settings.SITE_URL = "https://reuniones.example.org"  # not in ALLOWED_HOSTS
    with commit():
        meeting = MeetingFactory()
    caplog.clear()
    with caplog.at_level(logging.INFO), commit():
        meeting.save()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(messages) == 1 and "SITE_URL's host is not in ALLOWED_HOSTS" in messages[0]


def test_rendering_ahead_is_not_counted_as_visits(frozen_now, commit):
    from outreach.logs import hits

    with commit():
        meeting = MeetingFactory()
    hits.counts.clear()
    with commit():
        meeting.save()
    with commit():  # the pages are kept now: rendering them again finds them cached
        meeting.save()
    assert hits.counts == {}


class FlakyCache(LocMemCache):
    """A cache that refuses its first writes of the page version (Redis blinking)."""

    refusals = 0  # set on the instance: the backend may be a second import of this module

    def set(self, key, *args, **kwargs):
        if key == VERSION_KEY and self.refusals > 0:
            self.refusals -= 1
            raise ConnectionError("Redis blinked")
        return super().set(key, *args, **kwargs)


def test_a_change_made_while_redis_blinked_reaches_the_pages_when_it_is_back(
    settings, frozen_now, commit, monkeypatch, caplog
):
    """A save during a short Redis outage could not set the new version, and visitors got the
    pages from before the change as hits for a minute or more: now it is tried again."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "tests.ops.test_prerender.FlakyCache", "LOCATION": "flaky"},
    }
    monkeypatch.setattr(pagecache.VersionRetry, "RETRY_SECONDS", 0.05)
    with commit():
        meeting = MeetingFactory(title_en="Before the change")
    with translation.override("en"):
        url = reverse("meetings:detail", kwargs={"slug": meeting.slug})
    visit(url)
    assert visit(url)[0] == "hit"
    pagecache.page_cache().refusals = 4  # both tries of this save, and two of the retries
    with caplog.at_level(logging.WARNING, logger="outreach.pagecache"), commit():
        meeting.title_en = "After the change"
        meeting.save()
    retry = pagecache.version_retry.threads[id(pagecache.page_cache())]  # started by the save
    retry.join(timeout=5)
    assert any("new version set" in r.getMessage() for r in caplog.records)
    state, html = visit(url)
    assert "After the change" in html and state == "miss"


def test_a_copy_kept_by_a_process_expires_with_the_shared_one(settings):
    """A worker that read a page late in its life used to keep it PAGE_CACHE_SECONDS more."""
    local = pagecache.LocalPages()
    now = time.time()
    local.put("late", {"content": b"x", "version": "v", "stored": now - 59.5}, seconds=60)
    local.put("gone", {"content": b"y", "version": "v", "stored": now - 61}, seconds=60)
    assert local.get("late") is not None
    assert local.get("gone") is None
    time.sleep(0.6)
    assert local.get("late") is None
