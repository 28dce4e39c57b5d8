"""The cards of the upcoming list, made from the plain rows the page is read as (no model
instances, no second query).

Loading 30 meetings through the ORM (modeltranslation's queryset, a model instance each) was
about 40 % of rendering an upcoming page whose cards were already kept (`make profile`). A
`Card` holds one row of CARD_VALUES and shows what the card template reads: the title in the
page's language with the model's own fallback (modeltranslation's descriptor, used as is), the
times, the venue's name and city, the address of the meeting's page. It is hashable by its row,
so `{% fragment %}` keys a kept card by exactly the values it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.urls import reverse

from .enums import MeetingStatus
from .models import Meeting

# What a card shows, as read from the database (the id first: what a page is kept by).
CARD_VALUES = (
    "pk",
    "slug",
    "status",
    "starts_at",
    "ends_at",
    *(f"title_{code}" for code in settings.MODELTRANSLATION_LANGUAGES),
    "venue__name",
    "venue__city",
)
STARTS = CARD_VALUES.index("starts_at")
_TITLES = tuple(name for name in CARD_VALUES if name.startswith("title_"))
_FIRST_TITLE = CARD_VALUES.index(_TITLES[0])
# The descriptor Meeting.title is: the title in the active language, or its fallback.
_TITLE = Meeting.__dict__["title"]


class Place(NamedTuple):
    name: str
    city: str


class Card:
    """One meeting on the upcoming list, from its row (CARD_VALUES)."""

    __slots__ = ("row", "pk", "slug", "status", "starts_at", "ends_at", "venue", *_TITLES)

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.row = row
        self.pk, self.slug, self.status = row[0], row[1], row[2]
        self.starts_at: datetime = row[3]
        self.ends_at: datetime = row[4]
        for offset, name in enumerate(_TITLES):
            setattr(self, name, row[_FIRST_TITLE + offset])
        self.venue = Place(row[-2], row[-1])

    @property
    def title(self) -> str:
        return _TITLE.__get__(self, Meeting)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    def get_absolute_url(self) -> str:
        """The meeting's page in the active language (as Meeting.get_absolute_url)."""
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Card) and other.row == self.row

    def __hash__(self) -> int:
        return hash(self.row)


def cards(rows: Iterable[tuple[Any, ...]]) -> list[Card]:
    return [Card(row) for row in rows]
