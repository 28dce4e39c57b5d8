"""Rendered pages and pieces of pages kept in this process, keyed by the content they show.

A meeting's card on the upcoming page is rendered once per language per revision and reused by
every later render, in every page that shows it, whatever the page cache is doing: after a
staff save only the cards that changed are rendered again. The key holds every stored value of
the objects a piece shows (`revision`), so a change made any way at all (admin, shell,
`queryset.update()`) gives a new key, and an old piece can never be served for new data;
nothing needs invalidating. Pieces live in memory, per process, least recently used first out
(MAX_FRAGMENTS); a deploy starts afresh, so template and translation changes show too.

Whole pages are kept the same way (`render_kept`), per address and content, for anonymous
visits: a staff save makes every page in the page cache stale at once, and each is asked for
again; the pages whose content did not change are then served without rendering. A kept page
holds a marker for the CSRF token, and each visitor's own token is put in when it is served.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from threading import Lock
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from outreach.pagecache import csrf_token_for, is_anonymous_visit

MAX_FRAGMENTS = 20_000
MAX_PAGES = 1_000  # about 15 KB each
# Stands for the visitor's CSRF token in kept pages and pieces (letters and digits, like one).
CSRF_MARKER = "csrftokenmarker0" * 4


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
    """A bounded least-recently-used map from a key to a rendered piece of HTML (or a page).

    Safe to share between threads (runserver's, under `make run`); rendering happens outside
    the lock, so two threads may render the same piece once each.
    """

    def __init__(self, limit: int = MAX_FRAGMENTS, *, kept_when: tuple[str, ...]) -> None:
        self.limit = limit
        self.kept_when = kept_when  # the values of settings.KEEP_RENDERED that keep these
        self.pieces: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        if settings.KEEP_RENDERED not in self.kept_when:
            return render()
        with self.lock:
            piece = self.pieces.get(key)
            if piece is not None:
                self.pieces.move_to_end(key)
                return piece
        piece = render()
        with self.lock:
            self.pieces[key] = piece
            if len(self.pieces) > self.limit:
                self.pieces.popitem(last=False)
        return piece

    def clear(self) -> None:
        with self.lock:
            self.pieces.clear()


fragments = Fragments(kept_when=("all", "pieces"))
pages = Fragments(MAX_PAGES, kept_when=("all",))


def render_kept(
    request: HttpRequest, template_name: str, context: Callable[[], dict], *, shows: tuple
) -> HttpResponse:
    """render(template_name, context()), kept per address, language and content for anonymous
    visits (the context is only built when the page is rendered).

    `shows` names everything the page shows beyond its address: model instances (by their
    stored values) and any other value (a state that depends on the time, say).
    """
    if not is_anonymous_visit(request):
        return render(request, template_name, context())
    key = (request.path, get_language(), *(revision(item) for item in shows))
    content = pages.get_or_render(
        key,
        lambda: render(request, template_name, {**context(), "csrf_token": CSRF_MARKER}).content,
    )
    if CSRF_MARKER.encode() in content:
        content = content.replace(CSRF_MARKER.encode(), csrf_token_for(request).encode())
    return HttpResponse(content)
