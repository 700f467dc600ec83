"""Keeping the database's query planner informed.

SQLite plans queries from the statistics `ANALYZE` stores in `sqlite_stat1`; without them it
assumes every indexed value is rare. That is wrong for the visibility rule (`owner = me OR team IN
my teams` matches most rows of a team's data), and the planner then unions two index searches
and sorts all visible rows instead of walking the list's order index: at 100,000 opportunities the
difference is 250 ms against 40 ms for a member's list. So Accord refreshes the statistics after
bulk loads (demo data, imports) and on a schedule. `analysis_limit` keeps the run short on large
files (statistics from a sample of each index). PostgreSQL's autovacuum does the same on its own.
"""

from __future__ import annotations

import time

from django.db import connections

SAMPLE_ROWS = 20_000  # 2,000 proved too few: the plans came out wrong at 100,000 rows


def refresh_planner_statistics(using: str = "default") -> float:
    """Refresh the planner's statistics on SQLite; returns the seconds it took (0 elsewhere)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {SAMPLE_ROWS}")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started
