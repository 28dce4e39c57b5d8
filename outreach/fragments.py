"""Rendered pieces of pages kept in this process, keyed by the content they show.

A meeting's card on the upcoming page is rendered once per language per revision and reused by
every later render, in every page that shows it, whatever the page cache is doing: after a
staff save only the cards that changed are rendered again. The key holds every stored value of
the objects a piece shows (`revision`), so a change made any way at all (admin, shell,
`queryset.update()`) gives a new key, and an old piece can never be served for new data;
nothing needs invalidating. Pieces live in memory, per process, least recently used first out
(MAX_FRAGMENTS); a deploy starts afresh, so template and translation changes show too.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.db import models

MAX_FRAGMENTS = 20_000


def revision(obj: object) -> Hashable:
    """What identifies the content of `obj`: every concrete field's value for a model
    instance (lists and dicts as JSON, so the key stays hashable), else `obj` itself."""
    if not isinstance(obj, models.Model):
        return obj
    values = []
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, list | dict):
            value = json.dumps(value, sort_keys=True)
        values.append(value)
    return (obj._meta.label, *values)


class Fragments:
    """A bounded least-recently-used map from a key to a rendered piece of HTML."""

    def __init__(self, limit: int = MAX_FRAGMENTS) -> None:
        self.limit = limit
        self.pieces: OrderedDict[Hashable, str] = OrderedDict()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        piece = self.pieces.get(key)
        if piece is not None:
            self.pieces.move_to_end(key)
            return piece
        piece = self.pieces[key] = render()
        if len(self.pieces) > self.limit:
            self.pieces.popitem(last=False)
        return piece

    def clear(self) -> None:
        self.pieces.clear()


fragments = Fragments()
