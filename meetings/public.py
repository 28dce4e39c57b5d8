"""What the public pages say about a meeting: its facts, its share links, its schema.org data.

Everything here is rendered in the active language, so the page, the calendar file and the
share text read the same way.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from outreach import department, languages

from . import dates
from .enums import MeetingStatus
from .facts import what_to_expect
from .models import Meeting

# Characters that could end a <script> data block early or start a comment in HTML.
_JSON_ESCAPES = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"}


def page_language() -> str:
    """The language code of the page being rendered."""
    return languages.active()


def shown_language(obj: object, field: str) -> str:
    """The language the visitor reads for a translated field: the default when it fell back."""
    language = page_language()
    fallback = languages.default()
    if language != fallback and not getattr(obj, languages.column(field, language), None):
        return fallback
    return language


def share_text(meeting: Meeting) -> str:
    """One self-contained message: what, when, where and the link, in the page's language."""
    if meeting.is_cancelled:
        # Translators: a message a resident forwards by WhatsApp or SMS about a cancelled meeting.
        template = gettext("CANCELLED: %(title)s, %(when)s, %(venue)s. %(url)s")
    else:
        # Translators: a message a resident forwards by WhatsApp or SMS; keep it short.
        template = gettext("%(title)s, %(when)s, %(venue)s, %(address)s. %(url)s")
    return template % {
        "title": meeting.title,
        "when": dates.when(meeting.starts_at),
        "venue": meeting.venue.name,
        "address": meeting.venue.address,
        "url": meeting.public_url(),
    }


def share_links(meeting: Meeting) -> dict[str, str]:
    """Plain navigation links: nothing is loaded from WhatsApp until the resident taps."""
    text = quote(share_text(meeting), safe="")
    return {
        "whatsapp": f"https://wa.me/?text={text}",
        # "sms:?&body=" is the form both Android and iOS messaging apps accept.
        "sms": f"sms:?&body={text}",
    }


def structured_data(meeting: Meeting) -> dict:
    """The meeting as a schema.org Event, for search engines and link previews."""
    venue = meeting.venue
    place: dict = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.street_address,
            "addressLocality": venue.city,
            "addressRegion": venue.state,
            "postalCode": venue.postal_code,
            "addressCountry": "US",
        },
    }
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    status = "EventCancelled" if meeting.is_cancelled else "EventScheduled"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "description": meeting.description or meeting.title,
        "url": meeting.public_url(),
        "startDate": dates.local_iso(meeting.starts_at),
        "endDate": dates.local_iso(meeting.ends_at),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "inLanguage": list(meeting.spoken_languages) or [page_language()],
        "isAccessibleForFree": meeting.is_free,
        "organizer": {
            "@type": "Organization",
            "name": department.name(),
            "url": settings.SITE_URL + reverse("meetings:upcoming"),
        },
    }
    if meeting.host:
        data["performer"] = {"@type": "Person", "name": meeting.host}
    return data


def json_for_html(data: dict) -> str:
    """JSON that is safe inside a <script type="application/ld+json"> block."""
    text = json.dumps(data, ensure_ascii=False)
    # Three replaces: str.translate looks up every character in Python (a tenth of a render).
    for character, escape in _JSON_ESCAPES.items():
        text = text.replace(character, escape)
    return text


def next_meeting(meeting: Meeting, now: datetime | None = None) -> Meeting | None:
    """Where to send someone from a past or cancelled meeting: the next one at the same
    place, else the next one anywhere (never a cancelled one)."""
    ahead = (
        Meeting.objects.upcoming(now)
        .exclude(pk=meeting.pk)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__gt=now or timezone.now())
    )
    return ahead.filter(venue_id=meeting.venue_id).first() or ahead.first()


def page_context(meeting: Meeting) -> dict:
    """Everything the meeting page template needs, for its own view and for views that
    redisplay it (the reminder form with its errors)."""
    passed = meeting.ends_at <= timezone.now()
    return {
        "meeting": meeting,
        "passed": passed,
        # Only a page a resident cannot use any more points on to the next meeting.
        "next_meeting": next_meeting(meeting) if passed or meeting.is_cancelled else None,
        "facts": tuple(what_to_expect(meeting)),  # a tuple: {% fragment %} keys a piece by it
        "share": share_links(meeting),
        "structured_data": json_for_html(structured_data(meeting)),
    }
