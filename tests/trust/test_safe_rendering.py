"""Staff text is shown as text: a pasted script or link trick never runs on a resident's phone."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MeetingFactory, VenueFactory
from tests.trust.html_audit import audit_html

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">tap here</a>',
    '" onmouseover="alert(1)" x="',
    "</script><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "[tap](javascript:alert(1))",
    "javascript:alert(1)",
]


def hostile_meeting(payload: str):
    venue = VenueFactory(name=f"Hall {payload}", notes_en=payload, notes_es=payload)
    return MeetingFactory(
        venue=venue,
        title_en=f"Meeting {payload}",
        title_es=f"Reunión {payload}",
        description_en=f"First line\n{payload}\n\nSecond paragraph {payload}",
        description_es=f"Primera línea\n{payload}\n\nSegundo párrafo {payload}",
        host_en=payload,
        host_es=payload,
    )


def pages_showing(meeting) -> list[str]:
    urls = []
    for language in ("es", "en"):
        with translation.override(language):
            urls += [meeting.get_absolute_url(), reverse("meetings:upcoming")]
    return urls


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_meeting_text_is_shown_not_run(client, frozen_now, payload):
    meeting = hostile_meeting(payload)
    clean_pages = pages_showing(MeetingFactory())
    for url, clean_url in zip(pages_showing(meeting), clean_pages, strict=True):
        baseline = audit_html(client.get(clean_url).content.decode())
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        audit = audit_html(html)
        assert audit.problems == [], (url, audit.problems)
        # No element appears that staff text could have smuggled in.
        assert not {"img", "svg", "style", "iframe"} & set(audit.tags), url
        assert audit.tags.count("script") == baseline.tags.count("script"), url
        assert "<script>alert" not in html


def test_description_keeps_its_paragraphs_while_escaping(client, frozen_now):
    meeting = hostile_meeting("<b>bold?</b>")
    with translation.override("es"):
        html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<p>Primera línea<br>&lt;b&gt;bold?&lt;/b&gt;</p>" in html
    assert "<b>bold?</b>" not in html
