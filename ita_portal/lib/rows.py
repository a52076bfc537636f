"""Rows of a queryset as the database sends them, for aggregates over a whole country.

`plain_rows(queryset)` runs the SQL the ORM builds for a `values_list` queryset and returns
the cursor's tuples: no per-row converters, no named tuples, no model instances. Over 8,000
units that per-row work cost as much as a tenth of the query itself (the oversight of every
police station, benchmarks/README.md); the query, its filters and its permissions stay the
ORM's. Only for columns the database driver already returns as Python wants them (ids, text,
counts); dates and times on SQLite still need the ORM's converters.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections


def plain_rows(queryset) -> list[tuple]:
    """The rows of `queryset` (a `values_list`), in its SELECT order, as plain tuples."""
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a filter no row can meet (an empty id list): no query at all
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
