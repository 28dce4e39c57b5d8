"""An officer cancels a meeting from her phone (360×740, Spanish): the "Cancelar y avisar" page
fits the screen, its table and reason fields included, with no sideways scrolling (an
officer's audit found it 578 px wide). Screenshot: test-artifacts/staff/."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from meetings.models import STAFF_GROUP
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.factories import MeetingFactory, VenueFactory
from tests.meetings.test_staff_actions import cancel_url, subscribe

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_cancel_page_fits_a_phone(live_server, phone_page, django_user_model, settings_four):
    # 6:30 p.m. in ten days, whatever the hour the test runs at: "now + 10 days" crossed
    # midnight when CI ran after 10:30 p.m. in Dallas, and the reschedule form (one date, a
    # start and an end) rightly refused the end before the start.
    day = timezone.localdate() + timedelta(days=10)
    meeting = MeetingFactory(
        starts_at=timezone.make_aware(datetime.combine(day, time(18, 30))),
        venue=VenueFactory(name="Centro Comunitario Familia Bethel de Oak Cliff"),
        published=True,
    )
    subscribe(meeting, "sms", "es", 2)
    subscribe(meeting, "email", "en", 1, start=10)
    subscribe(meeting, "sms", "ar", 1, start=20)
    officer = django_user_model.objects.create_user(
        "rosa", password="a-long-pass-42", is_staff=True
    )
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="meetings"))
    officer.groups.add(group)
    context = phone_page.context.browser.new_context(viewport=PHONE, locale="es-MX", is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/{settings.ADMIN_PATH}login/")
    page.locator("#id_username").fill("rosa")
    page.locator("#id_password").fill("a-long-pass-42")
    # Wait for the answer to the post itself: wait_for_load_state() alone may return while
    # the page before it is still shown (it failed so on a loaded CI machine).
    with page.expect_navigation():
        page.locator("input[type=submit], button[type=submit]").first.click()
    page.goto(live_server.url + cancel_url(meeting))
    assert "1 persona inscrita recibe el aviso en este idioma." in page.locator("body").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    folder = ARTIFACTS / "staff"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "es-cancel-with-notice.png", full_page=True)
    assert width <= PHONE["width"], f"the page is {width} px wide"
    # The reschedule confirmation: the Before/After table and the reminder times.
    page.goto(live_server.url + reverse("admin:meetings_meeting_reschedule", args=[meeting.pk]))
    page.locator("#id_reason_es").fill("por el clima")
    with page.expect_navigation():
        page.locator("input[type=submit]").last.click()
    assert "Cuándo salen los recordatorios" in page.locator("body").inner_text()
    page.screenshot(path=folder / "es-reschedule-confirm.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the reschedule page is {width} px wide"
    context.close()


@pytest.fixture
def settings_four(settings):
    settings.LANGUAGES = [
        (code, gettext_lazy(LANG_INFO[code]["name"])) for code in ("es", "en", "vi", "ar")
    ]
