"""Matching ids from the full-text index, per database vendor.

`candidates()` gives a bounded set of ids of rows matching all words, as a subquery the caller puts
into `pk__in=`, so the visibility rule and the ordering run in the same statement and no list of
ids travels through Python. The set is the newest matches (highest ids): both indexes return those
without looking at the other matches — SQLite's FTS5 streams its lists in descending order and
stops at the limit, PostgreSQL walks the side table's primary key backwards and checks the stored
tsvector — so a word found in half of a million interactions costs as little as a rare one.
For ranked kinds (organizations, people; `engine` orders them by name) SQLite takes the newest
matches in the name columns plus the newest matches anywhere: bm25 would score every match first
(15–20 ms for a two-letter prefix among 100,000 people). PostgreSQL takes the best by ts_rank,
name words weighing most: its bitmap scan reads every match anyway, and a LIMIT on the primary
key order there can walk the whole table when the planner misjudges a rare word.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .ddl import FTS5_PREFIXES, SearchIndex, qn
from .query import fts5_query, tsquery
from .registry import SearchEntry


def _sqlite_newest(fts: str, match: str, limit: int) -> tuple[str, list]:
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s"  # noqa: S608
    return sql, [match, limit]


def _sqlite(entry: SearchEntry, terms: list[str], limit: int, ranked: bool) -> tuple[str, list]:
    fts = qn(SearchIndex(entry.table, entry.columns).fts_table)
    if not ranked:
        return _sqlite_newest(fts, _sqlite_streaming_match(fts, terms, limit), limit)
    # Organizations and people: small enough that long prefixes cost little (≤ 8 ms for a prefix
    # of every one of 100,000 people), so no probe for whole words.
    name_sql, name_params = _sqlite_newest(
        fts, fts5_query(terms, columns=entry.name_columns), limit
    )
    any_sql, any_params = _sqlite_newest(fts, fts5_query(terms), limit)
    sql = f"SELECT * FROM ({name_sql}) UNION SELECT * FROM ({any_sql})"  # noqa: S608
    return sql, name_params + any_params


def _sqlite_streaming_match(fts: str, terms: list[str], limit: int) -> str:
    """The MATCH text, avoiding FTS5's costly long prefixes where it can.

    A prefix longer than the prefix indexes makes FTS5 merge the lists of all words it starts
    before returning a row — for "angebot"* that is every interaction with "angebot",
    "angebote" … — while a whole word streams newest first and stops at the limit. So when the
    long words, taken whole, already fill the candidate set, that set is used; otherwise (a rare
    word, or one still being typed) the prefixes are.
    """
    prefixed = fts5_query(terms)
    whole = fts5_query(terms, whole_from=max(FTS5_PREFIXES) + 1)
    if whole == prefixed:
        return prefixed
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH %s LIMIT %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [whole, limit])
        (found,) = cursor.fetchone()
    return whole if found >= limit else prefixed


def _postgresql(entry: SearchEntry, terms: list[str], limit: int, ranked: bool) -> tuple[str, list]:
    fts = qn(SearchIndex(entry.table, entry.columns).fts_table)
    query = "to_tsquery('accord_search'::regconfig, %s)"
    if ranked:
        # Name words weigh A, so ts_rank puts name matches first. Scoring every match keeps the
        # plan a bitmap scan whatever the planner guesses; these tables are small enough for it.
        order = f"ts_rank(document, {query}) DESC, id DESC"
        params = [tsquery(terms), tsquery(terms), limit]
    else:
        # Newest first: walks the primary key backwards for common words (stopping at the limit)
        # and uses the GIN index for rare ones — the planner tells them apart by the statistics.
        order = "id DESC"
        params = [tsquery(terms), limit]
    sql = f"SELECT id FROM {fts} WHERE document @@ {query} ORDER BY {order} LIMIT %s"  # noqa: S608
    return sql, params


def _fallback(entry: SearchEntry, terms: list[str], limit: int, ranked: bool) -> list:
    """Other databases: substring match, no index (correct, not fast)."""
    condition = reduce(
        and_, (reduce(or_, (Q(**{f"{f}__icontains": t}) for f in entry.fields)) for t in terms)
    )
    qs = entry.model._default_manager.filter(condition)
    return list(qs.order_by("-pk").values_list("pk", flat=True)[:limit])


def candidates(entry: SearchEntry, terms: list[str], limit: int, *, ranked: bool) -> RawSQL | list:
    """For `Model.objects.filter(pk__in=…)`: the best `limit` matches of all `terms`."""
    if not terms or limit <= 0:
        return []
    vendor = connection.vendor
    # The SQL holds only names from code; the user's words travel as parameters.
    if vendor == "sqlite":
        return RawSQL(*_sqlite(entry, terms, limit, ranked))  # noqa: S611
    if vendor == "postgresql":
        return RawSQL(*_postgresql(entry, terms, limit, ranked))  # noqa: S611
    return _fallback(entry, terms, limit, ranked)


def candidate_ids(entry: SearchEntry, terms: list[str], limit: int, *, ranked: bool) -> list[int]:
    """The same matches as a list of at most `limit` ids: newest first, or for ranked kinds the
    name matches first (SQLite) / best ts_rank first (PostgreSQL)."""
    if not terms or limit <= 0:
        return []
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return _fallback(entry, terms, limit, ranked)
    if vendor == "sqlite" and ranked:
        fts = qn(SearchIndex(entry.table, entry.columns).fts_table)
        parts = [
            _sqlite_newest(fts, fts5_query(terms, columns=entry.name_columns), limit),
            _sqlite_newest(fts, fts5_query(terms), limit),
        ]
    else:
        parts = [(_sqlite if vendor == "sqlite" else _postgresql)(entry, terms, limit, ranked)]
    ids: dict[int, None] = {}
    with connection.cursor() as cursor:
        for sql, params in parts:
            cursor.execute(sql, params)
            ids.update((row[0], None) for row in cursor.fetchall())
    return list(ids)[:limit]
