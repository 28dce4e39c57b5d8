"""The upcoming list and the meeting page read the same rows with their SQL built once."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from meetings.compiled import CompiledQuery
from meetings.models import Meeting, MeetingQuerySet
from meetings.views import CARD_VALUES, PAGE_SIZE, _public_meeting, upcoming_page
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


def orm_rows(now, start=None):
    meetings = MeetingQuerySet(model=Meeting).upcoming(now=now)
    if start is not None:
        meetings = meetings.filter(starts_at__gte=start)
    return list(meetings.values_list(*CARD_VALUES)[: PAGE_SIZE + 1])


def test_kept_sql_reads_what_the_queryset_reads_at_every_moment(frozen_now):
    now = timezone.now()
    for days in (1, 2, 3, 5, 8):
        MeetingFactory(starts_at=now + timedelta(days=days, hours=-1))
    MeetingFactory(published=False, starts_at=now + timedelta(days=2))
    query = CompiledQuery(
        Meeting,
        lambda now, start: (
            MeetingQuerySet(model=Meeting)
            .upcoming(now=now)
            .filter(starts_at__gte=start)
            .values_list(*CARD_VALUES)[: PAGE_SIZE + 1]
        ),
        now="ends_at",
        start="starts_at",
    )
    for later in (0, 1, 2, 4, 9):
        moment = now + timedelta(days=later)
        for start in (moment, moment + timedelta(days=2)):
            expected = orm_rows(moment, start)
            assert query.rows(now=moment, start=start) == expected
    assert query.plans[query.alias()] is not None  # kept, not rebuilt each time
    rows = query.rows(now=now, start=now)
    assert len(rows) == 5 and rows[0][CARD_VALUES.index("starts_at")].tzinfo is not None


def test_a_query_whose_values_cannot_be_placed_is_built_each_time(frozen_now):
    now = timezone.now()
    MeetingFactory(starts_at=now + timedelta(days=1))
    # The same value twice: its place among the parameters is not one place.
    query = CompiledQuery(
        Meeting,
        lambda now: (
            MeetingQuerySet(model=Meeting)
            .filter(ends_at__gt=now, starts_at__gt=now)
            .values_list("pk")
        ),
        now="ends_at",
    )
    assert len(query.rows(now=now)) == 1
    assert query.plans[query.alias()] is None
    assert query.rows(now=now + timedelta(days=3)) == []


def test_upcoming_page_rows_follow_the_clock(frozen_now):
    now = timezone.now()
    soon = MeetingFactory(starts_at=now + timedelta(hours=1))
    MeetingFactory(starts_at=now + timedelta(days=3))
    rows, later = upcoming_page(None)
    assert [row[0] for row in rows] == [row[0] for row in orm_rows(now)]
    frozen_now.shift(soon.ends_at - now + timedelta(minutes=1))
    rows, later = upcoming_page(None)
    assert soon.pk not in [row[0] for row in rows] and len(rows) == 1 and later is None


def test_a_meeting_page_loads_the_meeting_and_venue_as_the_orm_does(frozen_now):
    meeting = MeetingFactory(venue=VenueFactory(name="Iglesia San José"))
    loaded = _public_meeting(meeting.slug)
    expected = Meeting.objects.select_related("venue").get(pk=meeting.pk)
    assert model_to_dict(loaded) == model_to_dict(expected)
    assert model_to_dict(loaded.venue) == model_to_dict(expected.venue)
    assert loaded.venue.name == "Iglesia San José"
    assert not loaded._state.adding and loaded._state.db == expected._state.db


def test_an_unpublished_or_unknown_meeting_is_not_found(frozen_now):
    hidden = MeetingFactory(published=False)
    for slug in (hidden.slug, "no-such-meeting"):
        with pytest.raises(Http404):
            _public_meeting(slug)
