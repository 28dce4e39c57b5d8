from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_a_meeting_that_ends_before_it_starts():
    meeting = MeetingFactory()
    meeting.ends_at = meeting.starts_at - timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_validation_explains_an_end_before_the_start_in_spanish():
    from django.utils import translation

    meeting = MeetingFactory.build()
    meeting.ends_at = meeting.starts_at
    with translation.override("es"):
        with pytest.raises(ValidationError) as error:
            meeting.full_clean(exclude=["venue", "slug"])
        assert "Una reunión debe terminar después de empezar." in str(error.value)


def test_slug_is_stable_when_the_date_changes():
    meeting = MeetingFactory()
    slug = meeting.slug
    meeting.starts_at += timedelta(days=7)
    meeting.ends_at += timedelta(days=7)
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.slug == slug


def test_two_meetings_on_the_same_day_at_one_venue_get_different_slugs():
    first = MeetingFactory()
    second = MeetingFactory(venue=first.venue, starts_at=first.starts_at + timedelta(hours=3))
    assert first.slug != second.slug
