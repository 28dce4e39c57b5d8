"""Load the demo outreach series: a dozen sessions at five venues, from now to February 20."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from meetings.enums import MeetingStatus, Parking, Transit, VenueKind
from meetings.models import Meeting, PolicyStatement, Venue

# Example addresses in Dallas: staff replace them with the real ones in the admin.
VENUES = [
    {
        "name": "Familia Bethel Internacional",
        "kind": VenueKind.CHURCH,
        "street_address": "3500 W Davis St",
        "postal_code": "75211",
        "notes_en": "Enter through the side door on the parking lot. (Example address.)",
        "notes_es": "Entre por la puerta lateral del estacionamiento. (Dirección de ejemplo).",
        "parking": Parking.FREE_LOT,
        "transit": Transit.BUS_NEAR,
        "step_free": True,
    },
    {
        "name": "Sunset Elementary School",
        "kind": VenueKind.SCHOOL,
        "street_address": "2200 S Hampton Rd",
        "postal_code": "75224",
        "notes_en": "Cafeteria, main entrance on S Hampton Rd. (Example address.)",
        "notes_es": "En la cafetería; entrada principal por S Hampton Rd. (Dirección de ejemplo).",
        "parking": Parking.STREET,
        "transit": Transit.BUS_NEAR,
        "step_free": True,
    },
    {
        "name": "Centro Comunitario Esperanza",
        "kind": VenueKind.COMMUNITY_CENTER,
        "street_address": "1500 Singleton Blvd",
        "postal_code": "75212",
        "notes_en": "Room B, ground floor. (Example address.)",
        "notes_es": "Salón B, planta baja. (Dirección de ejemplo).",
        "parking": Parking.FREE_LOT,
        "transit": Transit.BUS_FAR,
        "step_free": True,
    },
    {
        "name": "Lake June Branch Library",
        "kind": VenueKind.LIBRARY,
        "street_address": "7300 Lake June Rd",
        "postal_code": "75217",
        "notes_en": "Meeting room next to the children's section. (Example address.)",
        "notes_es": "Sala de reuniones junto a la sección infantil. (Dirección de ejemplo).",
        "parking": Parking.FREE_LOT,
        "transit": Transit.BUS_NEAR,
        "step_free": True,
    },
    {
        "name": "Iglesia San José",
        "kind": VenueKind.CHURCH,
        "street_address": "1400 W Jefferson Blvd",
        "postal_code": "75208",
        "notes_en": "Parish hall behind the church. (Example address.)",
        "notes_es": "Salón parroquial detrás de la iglesia. (Dirección de ejemplo).",
        "parking": Parking.STREET,
        "transit": Transit.UNKNOWN,
        "step_free": False,
    },
]

TITLE_EN = "Community meeting with the police department"
TITLE_ES = "Reunión comunitaria con el departamento de policía"
DESCRIPTION_EN = (
    "Meet the interim chief and the officers who work in your neighborhood. Ask about safety, "
    "how to report a crime, and your rights. It is free, and no one will ask for ID or "
    "immigration status. Children are welcome."
)
DESCRIPTION_ES = (
    "Conozca al jefe interino y a los oficiales que trabajan en su vecindario. Pregunte sobre "
    "seguridad, cómo reportar un delito y sus derechos. Es gratis y nadie le pedirá "
    "identificación ni estatus migratorio. Los niños son bienvenidos."
)
SESSIONS = 12

# The department's own answers on the questions page: an example staff rewrite in the admin.
POLICY_STATEMENTS = [
    {
        "question_en": "Will officers at the meeting ask about my immigration status?",
        "question_es": "¿Los oficiales de la reunión van a preguntar por mi estatus migratorio?",
        "answer_en": (
            "No. Officers at these community meetings do not ask anyone about immigration "
            "status and do not check papers. Come, listen and ask what you want to know."
        ),
        "answer_es": (
            "No. En estas reuniones comunitarias, los oficiales no le preguntan a nadie por su "
            "estatus migratorio ni revisan papeles. Venga, escuche y pregunte lo que quiera saber."
        ),
    },
    {
        "question_en": "Do I have to give my name?",
        "question_es": "¿Tengo que dar mi nombre?",
        "answer_en": "No. You can come and ask questions without saying who you are.",
        "answer_es": "No. Puede venir y hacer preguntas sin decir quién es.",
    },
    {
        "question_en": "Can I report a crime without going to a police station?",
        "question_es": "¿Puedo reportar un delito sin ir a una estación de policía?",
        "answer_en": (
            "Yes. You can tell an officer at the meeting, or call the number at the bottom "
            "of this page. You can ask for an interpreter."
        ),
        "answer_es": (
            "Sí. Puede decírselo a un oficial en la reunión o llamar al número que está al final "
            "de esta página. Puede pedir un intérprete."
        ),
    },
]


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
        venues = [self._venue(spec) for spec in VENUES]
        today = timezone.localdate()
        days = series_dates(today, next_february_20(today), SESSIONS)
        for i, day in enumerate(days):
            spec, venue = VENUES[i % len(VENUES)], venues[i % len(VENUES)]
            saturday = day.weekday() == 5
            start = datetime.combine(day, time(10, 0) if saturday else time(18, 30))
            starts_at = timezone.make_aware(start)
            Meeting.objects.create(
                title_en=TITLE_EN,
                title_es=TITLE_ES,
                description_en=DESCRIPTION_EN,
                description_es=DESCRIPTION_ES,
                host_en="Interim Chief of Police",
                host_es="Jefe de Policía interino",
                venue=venue,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=90),
                # One session shows residents what a cancellation looks like.
                status=MeetingStatus.CANCELLED if i == 5 else MeetingStatus.SCHEDULED,
                published=True,
                spoken_languages=["es", "en"],
                interpretation=True,
                step_free_access=spec["step_free"],
                parking=spec["parking"],
                transit=spec["transit"],
            )
        for order, statement in enumerate(POLICY_STATEMENTS, start=1):
            PolicyStatement.objects.create(order=order, **statement)
        self.stdout.write(f"Loaded {len(venues)} venues and {len(days)} meetings.")

    def _venue(self, spec: dict) -> Venue:
        return Venue.objects.create(
            name=spec["name"],
            kind=spec["kind"],
            street_address=spec["street_address"],
            city=settings.DEPARTMENT["city"],
            state="TX",
            postal_code=spec["postal_code"],
            notes_en=spec["notes_en"],
            notes_es=spec["notes_es"],
        )
