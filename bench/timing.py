"""Timing of one page with Django's test client: two warm-up calls, then `repeat` timed calls;
median and 95th percentile in milliseconds, and the SQL queries of one more call."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def setup_sqlite(db_path: Path, root: Path) -> None:
    """Django on the SQLite file `db_path`, with the development settings."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings.dev")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(root))
    import django

    django.setup()


def time_page(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
    timings = []
    response = None
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return {
        "status": response.status_code if response is not None else 0,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "queries": len(ctx.captured_queries),
    }


def cell(entry: dict, target_ms: float | None = None) -> str:
    """`median / p95 ms queries`, marked ✓ or ✗ against a target when one is given."""
    if "error" in entry:
        return entry["error"]
    if entry.get("status") != 200:
        return f"HTTP {entry.get('status')}"
    mark = " "
    if target_ms is not None:
        mark = "✓" if entry["p95_ms"] <= target_ms else "✗"
    return f"{entry['median_ms']:6.1f} / {entry['p95_ms']:6.1f} ms {entry['queries']:3d} q {mark}"


def write_result(result: dict, results_dir: Path, name: str) -> Path:
    """Write the figures to `results_dir/<UTC stamp>-<name>.json` and say where."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = results_dir / f"{stamp}-{name}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written to {out.relative_to(results_dir.parent.parent)}")
    return out
