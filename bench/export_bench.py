#!/usr/bin/env python
"""Export benchmark: 50,000 people to CSV and to XLSX on SQLite, the way Accord exports them.

    python bench/export_bench.py                    # 50,000 people (generated once, then reused)
    python bench/export_bench.py --people 10000 --repeat 5
    python bench/export_bench.py --regenerate

The data set is built by `accord.demo.generator` (organizations, people with positions, addresses
and the denormalised list fields; no interactions) into var/bench/export-<people>.sqlite3 and
reused while its size stays the same. Each measurement runs in a fresh Python process, signed in
as the administrator (who sees every person), so that its peak RSS is its own:

* direct — `POST /exports/list/parties:person_list/<fmt>/` through the test client (middleware,
  session, visibility, filterset, table, writer), the body read to the end: the streamed CSV
  response, or the XLSX written to a temporary file and sent as a file response;
* job — the same export as the background job `exports.list` (what a list this large runs as):
  the rows written to a temporary file and attached to the job.

Printed per format and mode: wall seconds and CPU seconds of the process (medians of --repeat; on
a shared machine the CPU time shows what the export itself costs), rows/s, SQL queries (of one
run, and of the same export filtered down to one person: equal when the count does not grow with
the rows; for a job, without its bookkeeping — its own row, the task queue, progress written about
twice a second — which grows with the time it runs, not with the rows) and peak RSS (SQLite's memory-mapped pages of the file included). Targets (issue 3): CSV ≤ 1.1 s, XLSX ≤ 7.5 s for 50,000 people, streamed, with a query
count that does not grow with the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
ADMIN = "admin@accord.example"
LIST = "parties:person_list"
TARGETS = {"csv": 1.1, "xlsx": 7.5}


# --- orchestration (no Django in this process) ---------------------------------------------------
def worker_env(db_path: Path, media: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_SETTINGS_MODULE="accord.settings.dev",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        ACCORD_MEDIA_ROOT=media,
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("DEBUG", None)
    return env


def run_worker(stage: str, db_path: Path, media: str, **params) -> dict:
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as out:
        path = out.name
    try:
        cmd = [sys.executable, __file__, "--worker", stage, "--out", path, "--params"]
        cmd.append(json.dumps(params))
        subprocess.run(cmd, check=True, env=worker_env(db_path, media))
        return json.loads(Path(path).read_text() or "{}")
    finally:
        Path(path).unlink(missing_ok=True)


def ensure_data(people: int, orgs: int, regenerate: bool, media: str) -> Path:
    VAR.mkdir(parents=True, exist_ok=True)
    db_path = VAR / f"export-{people}.sqlite3"
    meta_path = VAR / f"export-{people}.json"
    wanted = {"people": people, "orgs": orgs}
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if not regenerate and db_path.exists() and meta.get("params") == wanted:
        print(f"reusing {db_path.name} (generated {meta['generated_at']})", flush=True)
        run_worker("migrate", db_path, media)
        return db_path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    print(f"generating {orgs:,} organizations and {people:,} people …", flush=True)
    result = run_worker("generate", db_path, media, **wanted)
    meta = {
        "params": wanted,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": result["seconds"],
        "counts": result["counts"],
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    print(f"generated in {result['seconds']:.0f} s", flush=True)
    return db_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--orgs", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median is shown)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--modes", default="direct,job")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, Path(args.out), json.loads(args.params))

    with tempfile.TemporaryDirectory(prefix="accord-export-bench-") as media:
        db_path = ensure_data(args.people, args.orgs, args.regenerate, media)
        report = {"people": args.people, "cases": []}
        header = (
            f"{'case':<12} {'seconds':>8} {'best':>6} {'cpu s':>6} {'rows':>8} {'rows/s':>9} "
            f"{'queries':>8} "
            f"{'(1 row)':>8} {'peak RSS':>9}  target"
        )
        print(header)
        print("-" * len(header))
        for fmt in args.formats.split(","):
            for mode in args.modes.split(","):
                runs = [
                    run_worker("measure", db_path, media, fmt=fmt, mode=mode)
                    for _ in range(args.repeat)
                ]
                seconds = statistics.median(r["seconds"] for r in runs)
                cpu = statistics.median(r["cpu_seconds"] for r in runs)
                first = runs[0]
                entry = {
                    "format": fmt,
                    "mode": mode,
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "runs": [r["seconds"] for r in runs],
                    "rows": first["rows"],
                    "rows_per_second": first["rows"] / seconds if seconds else 0,
                    "queries": first["queries"],
                    "queries_one_row": first["queries_one_row"],
                    "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
                    "bytes": first["bytes"],
                }
                report["cases"].append(entry)
                target = TARGETS[fmt] * args.people / 50_000
                ok = "✓" if seconds <= target else "✗"
                same = "" if entry["queries"] == entry["queries_one_row"] else " (grows!)"
                print(
                    f"{fmt + ' ' + mode:<12} {seconds:>8.2f} {min(entry['runs']):>6.2f} "
                    f"{cpu:>6.2f} {entry['rows']:>8,} "
                    f"{entry['rows_per_second']:>9,.0f} {entry['queries']:>8} "
                    f"{entry['queries_one_row']:>8} {entry['peak_rss_mib']:>7.0f} MiB"
                    f"  ≤ {target:.1f} s {ok}{same}",
                    flush=True,
                )
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        (results / f"export-{stamp}.json").write_text(json.dumps(report, indent=2))
    return 0


# --- workers (Django set up) -------------------------------------------------------------------
def worker(stage: str, out: Path, params: dict) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    result: dict = {}
    if stage == "generate":
        result = generate(params)
    elif stage == "measure":
        result = measure(params)
    out.write_text(json.dumps(result))
    return 0


def generate(params: dict) -> dict:
    from accord.demo.generator import generate as generate_data

    summary = generate_data(
        orgs=params["orgs"], people=params["people"], interactions=0, seed=7, history=False
    )
    return {"seconds": summary.seconds, "counts": summary.counts}


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(params: dict) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accord.core.jobs import execute_job
    from accord.core.models import Job
    from accord.dataio.exports import services
    from accord.parties.models import Person
    from accord.users.models import User

    fmt, mode = params["fmt"], params["mode"]
    settings.ACCORD_EXPORT_DIRECT_MAX_ROWS = 10**9 if mode == "direct" else 0
    admin = User.objects.get(email=ADMIN)
    one = Person.objects.filter(is_archived=False).order_by("pk").first()
    one_query = f"q={one.last_name}+{one.first_name}" if one else "q=nobody"
    client = Client()
    client.force_login(admin)
    url = reverse("exports:list", args=[LIST, fmt])

    def direct(query: str = "") -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(f"{url}?{query}")
            size = lines = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                lines += chunk.count(b"\n")
        return size, lines, len(ctx.captured_queries)

    def job(query: str = "") -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as ctx:
            started = services.start_list_export(
                user=admin, list_name=LIST, query=query, fmt=fmt, label="bench"
            )
            execute_job(started.pk)
        done = Job.objects.get(pk=started.pk)
        if done.status != Job.Status.SUCCEEDED:
            raise SystemExit(f"job failed: {done.failure}")
        size = done.result_file.size
        Job.objects.filter(pk=done.pk).delete()
        # the job's own bookkeeping (its row, the task queue, progress about twice a second)
        # grows with the time it runs; the export's queries are the others
        bookkeeping = ('"core_job"', '"django_tasks')
        data = [q for q in ctx.captured_queries if not any(t in q["sql"] for t in bookkeeping)]
        return size, int(done.done), len(data)

    run = direct if mode == "direct" else job
    _size, _rows, queries_one_row = run(one_query)  # also warms imports and caches
    started, cpu = time.perf_counter(), time.process_time()
    size, rows, queries = run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if mode == "direct":
        rows = Person.objects.filter(is_archived=False).count() if fmt == "xlsx" else rows - 1
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rows": rows,
        "bytes": size,
        "queries": queries,
        "queries_one_row": queries_one_row,
        "peak_rss_mib": peak_rss_mib(),
    }


if __name__ == "__main__":
    sys.exit(main())
