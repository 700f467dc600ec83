"""Global search over whatever the domain apps register (organizations, people, interactions …).

Apps call `register_search(...)` in their `search.py` (discovered by `CoreConfig.ready()`), and
create the full-text index in a migration with `ddl.SearchIndex`. Callers use `search(user, q)` for
grouped, visibility-checked hits and `search_ids(model, q)` for plain matching ids.
"""

from __future__ import annotations

from .engine import SearchGroup, SearchResult, search, search_ids
from .registry import SearchEntry, entries, get_entry, register_search


def repair_indexes(**kwargs) -> list[str]:
    """After `migrate`: re-create SQLite search triggers a table rebuild dropped (see `ddl`)."""
    from django.db import connections

    from .ddl import SearchIndex

    using = kwargs.get("using") or "default"
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    for entry in entries():
        if SearchIndex(entry.table, entry.columns).sqlite_repair(connection):
            repaired.append(entry.table)
    return repaired


__all__ = [
    "SearchEntry",
    "SearchGroup",
    "SearchResult",
    "entries",
    "get_entry",
    "register_search",
    "repair_indexes",
    "search",
    "search_ids",
]
