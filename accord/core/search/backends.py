"""Matching ids from the full-text index, per database vendor.

`candidates()` gives at most `limit` ids of rows matching all words, best first — by relevance
(bm25 / ts_rank) for ranked kinds, newest id first for kinds shown newest first — as a subquery
the caller puts into `pk__in=`, so the visibility rule and the ordering run in the same statement
and no list of ids travels through Python. On SQLite the index streams ids in descending order and
stops at the limit, so a word found in half of a million interactions costs as little as a rare one.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .ddl import SearchIndex, pg_document, qn
from .query import fts5_query, tsquery
from .registry import SearchEntry


def _sqlite(entry: SearchEntry, terms: list[str], limit: int, ranked: bool) -> tuple[str, list]:
    fts = qn(SearchIndex(entry.table, entry.columns).fts_table)
    if ranked:
        weights = ", ".join(repr(float(w)) for w in entry.column_weights)
        order = f"bm25({fts}, {weights}), rowid"
    else:
        order = "rowid DESC"
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY {order} LIMIT %s"  # noqa: S608
    return sql, [fts5_query(terms), limit]


def _postgresql(entry: SearchEntry, terms: list[str], limit: int, ranked: bool) -> tuple[str, list]:
    document = pg_document(entry.columns)
    pk = qn(entry.model._meta.pk.column)
    query = "to_tsquery('accord_search'::regconfig, %s)"
    if ranked:
        order = f"ts_rank({document}, {query}) DESC, {pk}"
        params = [tsquery(terms), tsquery(terms), limit]
    else:
        order = f"{pk} DESC"
        params = [tsquery(terms), limit]
    sql = (
        f"SELECT {pk} FROM {qn(entry.table)} WHERE {document} @@ {query} "  # noqa: S608
        f"ORDER BY {order} LIMIT %s"
    )
    return sql, params


def _fallback(entry: SearchEntry, terms: list[str], limit: int, ranked: bool) -> list:
    """Other databases: substring match, no index (correct, not fast)."""
    condition = reduce(
        and_, (reduce(or_, (Q(**{f"{f}__icontains": t}) for f in entry.fields)) for t in terms)
    )
    qs = entry.model._default_manager.filter(condition)
    qs = qs.order_by(entry.fields[0], "pk") if ranked else qs.order_by("-pk")
    return list(qs.values_list("pk", flat=True)[:limit])


def candidates(entry: SearchEntry, terms: list[str], limit: int, *, ranked: bool) -> RawSQL | list:
    """For `Model.objects.filter(pk__in=…)`: the best `limit` matches of all `terms`."""
    if not terms or limit <= 0:
        return []
    vendor = connection.vendor
    if vendor == "sqlite":
        return RawSQL(*_sqlite(entry, terms, limit, ranked))
    if vendor == "postgresql":
        return RawSQL(*_postgresql(entry, terms, limit, ranked))
    return _fallback(entry, terms, limit, ranked)


def candidate_ids(entry: SearchEntry, terms: list[str], limit: int, *, ranked: bool) -> list[int]:
    """The same matches as a list of ids, best first."""
    if not terms or limit <= 0:
        return []
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return _fallback(entry, terms, limit, ranked)
    make = _sqlite if vendor == "sqlite" else _postgresql
    sql, params = make(entry, terms, limit, ranked)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
