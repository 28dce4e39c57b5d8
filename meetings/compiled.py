"""Hot read queries built once per process: the SQL is kept, only the values change.

Building the upcoming list's SQL (a dozen translated columns, a join, filters, ordering) cost
about half of a cold upcoming page, far more than running it (`make profile`). A
`CompiledQuery` builds its queryset once per database with stand-in values, finds where they
went among the parameters, and from then on runs that SQL with the real values, turning the
rows into Python values with the compiler's own converters (SQLite's text dates come back as
datetimes, exactly as from the queryset). The query still goes through Django's cursor, so it
is counted, logged and wrapped as any other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.db.models import DateTimeField, Model, QuerySet


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    positions: dict[str, int]  # value name -> index in params
    compiler: Any


class CompiledQuery:
    """`build(**values)` returns the queryset (values or values_list, fixed slicing); each
    keyword names the model field its value is compared with, e.g. now="ends_at" (date-times
    and text only)."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], **fields: str) -> None:
        self.model = model
        self.build = build
        self.fields = {name: model._meta.get_field(field) for name, field in fields.items()}
        self.plans: dict[str, _Plan | None] = {}
        self.lock = threading.Lock()

    def alias(self) -> str:
        return router.db_for_read(self.model)

    def rows(self, **values: Any) -> list[Any]:
        alias = self.alias()
        plan = self.plans.get(alias, False)
        if plan is False:
            with self.lock:
                plan = self.plans[alias] = self._plan(alias)
        if plan is None:  # could not be kept: built each time, as any queryset
            return list(self.build(**values))
        connection = connections[alias]
        params = list(plan.params)
        for name, index in plan.positions.items():
            params[index] = self.fields[name].get_db_prep_value(values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            found = cursor.fetchall()
        return list(plan.compiler.results_iter(results=[found], tuple_expected=True))

    def _plan(self, alias: str) -> _Plan | None:
        connection = connections[alias]
        stand_ins = {
            name: datetime(1901, 1, 1, 0, 0, 0, index + 1, tzinfo=UTC)
            if isinstance(self.fields[name], DateTimeField)
            else f"compiled-stand-in-{index}"
            for index, name in enumerate(self.fields)
        }
        compiler = self.build(**stand_ins).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        positions = {}
        for name, value in stand_ins.items():
            prepared = self.fields[name].get_db_prep_value(value, connection)
            found = [index for index, param in enumerate(params) if param == prepared]
            if len(found) != 1:
                return None
            positions[name] = found[0]
        return _Plan(sql, tuple(params), positions, compiler)
