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
from functools import cache

from django.db import models

MAX_FRAGMENTS = 20_000


def revision(obj: object) -> Hashable:
    """What identifies the content of `obj`: the stored value of every concrete field loaded
    on a model instance (JSON fields as JSON text, so the key stays hashable), else `obj`.

    Read from the instance's __dict__, as loaded from the database, not through descriptors
    (modeltranslation's would add a fallback look-up per field); a deferred field is absent,
    and a piece that showed it would have run a query for it.
    """
    if not isinstance(obj, models.Model):
        return obj
    loaded = obj.__dict__
    names, json_names = _stored_fields(type(obj))
    values = [loaded.get(name) for name in names]
    for index in json_names:
        values[index] = json.dumps(values[index], sort_keys=True)
    return (obj._meta.label, *values)


@cache
def _stored_fields(model: type[models.Model]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    fields = model._meta.concrete_fields
    names = tuple(field.attname for field in fields)
    json_names = tuple(i for i, f in enumerate(fields) if isinstance(f, models.JSONField))
    return names, json_names


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
