"""factory_boy factories: test data built in code, never loaded from dumps."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from meetings.enums import MeetingStatus, VenueKind
from meetings.models import Meeting, Venue

CHICAGO = ZoneInfo("America/Chicago")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = VenueKind.CHURCH
    street_address = factory.Sequence(lambda n: f"{100 + n} Main St")
    city = "Houston"
    state = "TX"
    postal_code = "77009"
    notes_en = "Side door."
    notes_es = "Puerta lateral."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title_en = "Community meeting"
    title_es = "Reunión comunitaria"
    description_en = "Meet the officers of your neighborhood."
    description_es = "Conozca a los oficiales de su vecindario."
    host_en = "Interim Chief of Police"
    host_es = "Jefe de Policía interino"
    venue = factory.SubFactory(VenueFactory)
    starts_at = factory.Sequence(
        lambda n: datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO) + timedelta(days=n)
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(minutes=90))
    status = MeetingStatus.SCHEDULED
    published = True
    spoken_languages = factory.LazyFunction(lambda: ["es", "en"])


# --- reminders -------------------------------------------------------------------------------

from django.utils import timezone  # noqa: E402

from reminders import crypto  # noqa: E402
from reminders.enums import Channel, SubscriptionStatus  # noqa: E402
from reminders.models import Subscription  # noqa: E402


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed SMS subscriber to one meeting; pass contact="..." (normalized) to choose."""

    class Meta:
        model = Subscription

    class Params:
        contact = factory.Sequence(lambda n: f"+1713555{n % 10000:04d}")

    channel = Channel.SMS
    language = "es"
    meeting = factory.SubFactory(MeetingFactory)
    status = SubscriptionStatus.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    consent_page = "/es/reuniones/demo/"
    welcomed = True
    contact_encrypted = factory.LazyAttribute(lambda o: crypto.encrypt(o.contact))
    contact_digest = factory.LazyAttribute(lambda o: crypto.digest(o.contact))
