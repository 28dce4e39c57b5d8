"""Load the demo outreach series: a dozen sessions at five venues, from now to February 20."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from meetings import demo_text
from meetings.enums import MeetingStatus, Parking, SpokenLanguage, Transit, VenueKind
from meetings.models import Meeting, PolicyStatement, Venue
from outreach import languages

# Example addresses in Dallas: staff replace them with the real ones in the admin.
VENUES = [
    {
        "name": "Familia Bethel Internacional",
        "kind": VenueKind.CHURCH,
        "street_address": "3500 W Davis St",
        "postal_code": "75211",
        "parking": Parking.FREE_LOT,
        "transit": Transit.BUS_NEAR,
        "step_free": True,
    },
    {
        "name": "Sunset Elementary School",
        "kind": VenueKind.SCHOOL,
        "street_address": "2200 S Hampton Rd",
        "postal_code": "75224",
        "parking": Parking.STREET,
        "transit": Transit.BUS_NEAR,
        "step_free": True,
    },
    {
        "name": "Centro Comunitario Esperanza",
        "kind": VenueKind.COMMUNITY_CENTER,
        "street_address": "1500 Singleton Blvd",
        "postal_code": "75212",
        "parking": Parking.FREE_LOT,
        "transit": Transit.BUS_FAR,
        "step_free": True,
    },
    {
        "name": "Lake June Branch Library",
        "kind": VenueKind.LIBRARY,
        "street_address": "7300 Lake June Rd",
        "postal_code": "75217",
        "parking": Parking.FREE_LOT,
        "transit": Transit.BUS_NEAR,
        "step_free": True,
    },
    {
        "name": "Iglesia San José",
        "kind": VenueKind.CHURCH,
        "street_address": "1400 W Jefferson Blvd",
        "postal_code": "75208",
        "parking": Parking.STREET,
        "transit": Transit.UNKNOWN,
        "step_free": False,
    },
]

SESSIONS = 12


def enabled() -> list[str]:
    """The enabled languages the demo has text for (vi and ar when LANGUAGES names them)."""
    return [code for code in languages.codes() if code in demo_text.TEXT]


def texts(*fields: str) -> dict[str, str]:
    """The meeting's translated columns in every enabled language: {"title_<code>": …}."""
    return {
        languages.column(field, code): demo_text.TEXT[code][field]
        for field in fields
        for code in enabled()
    }


def note(index: int) -> dict[str, str]:
    """A venue's notes in every enabled language, each saying the address is an example."""
    return {
        languages.column("notes", code): (
            f"{demo_text.TEXT[code]['notes'][index]} {demo_text.NOTE_EXAMPLE[code]}"
        )
        for code in enabled()
    }


def statement(index: int) -> dict[str, str]:
    """One of the department's answers (an example staff rewrite) in every enabled language."""
    found = {}
    for code in enabled():
        question, answer = demo_text.TEXT[code]["statements"][index]
        found[languages.column("question", code)] = question
        found[languages.column("answer", code)] = answer
    return found


def series_dates(today: date, last: date, count: int) -> list[date]:
    """`count` dates from a few days after `today` to `last`, alternating Wednesdays and
    Saturdays (the evenings and mornings residents asked for); the last one is `last`."""
    first = today + timedelta(days=2)
    span = max((last - first).days, count)
    days = []
    for i in range(count - 1):
        day = first + timedelta(days=round(i * span / (count - 1)))
        target = 5 if i % 2 == 0 else 2  # Saturday, Wednesday
        day += timedelta(days=(target - day.weekday()) % 7)
        days.append(min(day, last - timedelta(days=1)))
    days.append(last)
    return sorted(set(days))


def next_february_20(today: date) -> date:
    candidate = date(today.year, 2, 20)
    return candidate if candidate > today + timedelta(days=30) else date(today.year + 1, 2, 20)


class Command(BaseCommand):
    help = "Load the demo outreach series (safe to run twice: the second run changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if Venue.objects.filter(name=VENUES[0]["name"]).exists():
            self.stdout.write("The demo series is already loaded; nothing changed.")
            return
        venues = [self._venue(i, spec) for i, spec in enumerate(VENUES)]
        today = timezone.localdate()
        days = series_dates(today, next_february_20(today), SESSIONS)
        for i, day in enumerate(days):
            spec, venue = VENUES[i % len(VENUES)], venues[i % len(VENUES)]
            saturday = day.weekday() == 5
            start = datetime.combine(day, time(10, 0) if saturday else time(18, 30))
            starts_at = timezone.make_aware(start)
            Meeting.objects.create(
                **texts("title", "description", "host"),
                venue=venue,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=90),
                # One session shows residents what a cancellation looks like.
                status=MeetingStatus.CANCELLED if i == 5 else MeetingStatus.SCHEDULED,
                published=True,
                spoken_languages=[c for c in languages.codes() if c in SpokenLanguage.values],
                interpretation=True,
                step_free_access=spec["step_free"],
                parking=spec["parking"],
                transit=spec["transit"],
            )
        for order in range(len(demo_text.TEXT[languages.default()]["statements"])):
            PolicyStatement.objects.create(order=order + 1, **statement(order))
        self.stdout.write(f"Loaded {len(venues)} venues and {len(days)} meetings.")

    def _venue(self, index: int, spec: dict) -> Venue:
        return Venue.objects.create(
            name=spec["name"],
            kind=spec["kind"],
            street_address=spec["street_address"],
            city=settings.DEPARTMENT["city"],
            state="TX",
            postal_code=spec["postal_code"],
            **note(index),
        )
