"""Shared fixtures. Test-only settings live here, in one place."""

import contextlib
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.translation import gettext_lazy as _

from meetings.models import STAFF_GROUP

CHICAGO = ZoneInfo("America/Chicago")
# The four languages the project ships, for tests that turn them all on (settings.LANGUAGES).
FOUR_LANGUAGES = [
    ("es", _("Spanish")),
    ("en", _("English")),
    ("vi", _("Vietnamese")),
    ("ar", _("Arabic")),
]

# `make test` runs the in-process suite a second time with the clock pinned to an awkward
# moment (OUTREACH_TEST_CLOCK, an ISO time in Chicago), so a test that silently depends on the
# hour, weekday or date CI happens to run at fails on every run, not only at night.
PINNED_CLOCK = os.environ.get("OUTREACH_TEST_CLOCK", "").strip()


def pytest_collection_modifyitems(config, items):
    """In the pinned pass, skip what runs in other processes: their clocks cannot be pinned."""
    if not PINNED_CLOCK:
        return
    reason = "starts real processes whose clock cannot be pinned (run in the unpinned pass)"
    for item in items:
        if item.get_closest_marker("slow") or "tests/browser" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _pinned_clock():
    """The wall clock starts at OUTREACH_TEST_CLOCK for every test (and keeps ticking)."""
    if not PINNED_CLOCK:
        yield
        return
    start = datetime.fromisoformat(PINNED_CLOCK).replace(tzinfo=CHICAGO)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SITE_URL = "https://meetings.example.org"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Each test starts with an empty shared cache (Redis, or the database table locally),
    locally no page kept in the page cache's files, and the Redis circuit breaker closed (a
    test may have pointed the cache at a dead Redis)."""
    from django.conf import settings
    from django.core.cache import cache, caches

    from outreach.cache import BREAKER, REDIS_ERRORS
    from outreach.fragments import fragments, pages
    from outreach.pagecache import version_retry

    # A test's dead Redis must not be tried again during the next one (it trips the breaker).
    version_retry.stop()

    BREAKER.reset()
    # Rendered pieces and pages are kept per process by content, not by settings: a test that
    # changes a setting (the department's name) must not be served another test's rendering.
    fragments.clear()
    pages.clear()
    if "pages" in settings.CACHES:
        caches["pages"].clear()
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if not uses_db and "Redis" not in type(cache).__name__:
        yield
        BREAKER.reset()
        return
    cache.clear()
    yield
    with contextlib.suppress(*REDIS_ERRORS):  # still pointed at the dead Redis of the test
        cache.clear()
    BREAKER.reset()


@pytest.fixture
def frozen_now():
    """The clock stopped at Monday 1 February 2027, 9:00 in Chicago (before the demo's end)."""
    with time_machine.travel(datetime(2027, 2, 1, 9, 0, tzinfo=CHICAGO), tick=False) as traveller:
        yield traveller


@pytest.fixture
def run_after_commit():
    """Run callbacks captured with django_capture_on_commit_callbacks as the commit would,
    with Celery tasks run inline, as a worker would run them right after. Use it to show what
    a request leaves to the worker (tests run inside one transaction that never commits)."""
    from outreach.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def run(callbacks) -> None:
        for callback in callbacks:
            callback()

    yield run
    app.conf.task_always_eager = eager


@pytest.fixture
def outreach_staff(db, django_user_model):
    """A member of the outreach staff group: staff, not a superuser."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "maria", password="not-used-in-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def staff_client(client, outreach_staff):
    """The test client logged in as an Outreach staff member."""
    client.force_login(outreach_staff)
    return client


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to a Spanish page leaves Spanish active in the thread; reset it so no test
    depends on which test ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()


# Property tests judge behaviour, not speed: a loaded 2-core CI machine must not fail them.
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("outreach", deadline=None)
hypothesis_settings.load_profile("outreach")
