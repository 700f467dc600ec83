#!/usr/bin/env python
"""Accord's benchmark: generate a data set of a given size, then time the pages that matter.

    python bench/run.py                       # size XS on SQLite (and PostgreSQL if it answers)
    python bench/run.py --size S --db sqlite
    python bench/run.py --size custom --orgs 5000 --people 30000 --interactions 100000 --db both

Each database gets its own data set (SQLite: var/bench/<size>.sqlite3, PostgreSQL: the database
`accord_bench`), generated once by `accord.demo.generator` and reused while size and seed stay the
same (`--regenerate` forces a new one). Every figure is the median of `--repeat` calls (≥ 15) made
with Django's test client, logged in as an admin and as a member, with the SQL query count of one
call; "process start + first page" is a fresh Python process that sets Django up and renders the
people list once (wall time measured outside, peak RSS inside). The table is printed and written as
JSON to bench/results/. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
SIZES = {
    "XS": (2_000, 26_000, 50_000),  # enough people that page 250 of 100 rows is full
    "S": (10_000, 50_000, 200_000),
    "M": (20_000, 100_000, 1_000_000),
}
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/accord_bench"
ADMIN, MEMBER = "admin@accord.example", "julia.hoffmann@accord.example"
# (key, label, kind) — kind decides the target: list ≤ 50 ms / ≤ 6 queries, detail ≤ 25 ms /
# ≤ 10 queries, search ≤ 20 ms (at size M).
CASES = (
    ("people_p1", "people list, page 1 (100 rows)", "list"),
    ("people_p250", "people list, page 250 (100 rows)", "list"),
    ("orgs", "organization list", "list"),
    ("orgs_filtered", "organization list, role=client&country=DE", "list"),
    ("org_page", "organization page", "detail"),
    ("person_page", "person page", "detail"),
    ("search_name", "global search “Müller”", "search"),
    ("search_text", "global search “Lieferung”", "search"),
    ("api_people", "API people list (100 rows)", "list"),
)
TARGETS = {"list": (50.0, 6), "detail": (25.0, 10), "search": (20.0, None)}
START_TARGET = (700.0, 80.0)  # ms, MiB


# --- orchestration (no Django in this process) ---------------------------------------------------
def worker_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE="accord.settings.dev",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("DEBUG", None)
    return env


def run_worker(stage: str, db_url: str, params: dict) -> dict:
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as out:
        path = out.name
    try:
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            stage,
            "--out",
            path,
            "--params",
            json.dumps(params),
        ]
        subprocess.run(cmd, env=worker_env(db_url), check=True, cwd=ROOT)
        return json.loads(Path(path).read_text() or "{}")
    finally:
        Path(path).unlink(missing_ok=True)


def postgres_answers(url: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(maintenance_url(url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def maintenance_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def recreate_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(maintenance_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_data(db: str, url: str, params: dict, regenerate: bool) -> dict:
    """Generate the data set unless one with the same size and seed exists."""
    meta_path = VAR / f"{db}-{params['label']}.json"
    wanted = {k: params[k] for k in ("orgs", "people", "interactions", "seed")}
    if db == "postgres":
        meta_path = VAR / f"postgres-{url.rsplit('/', 1)[1]}.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    exists = Path(url.removeprefix("sqlite:///")).exists() if db == "sqlite" else bool(meta)
    if not regenerate and exists and meta.get("params") == wanted:
        print(
            f"[{db}] reusing the data set ({meta['generated_at']}, {meta['seconds']:.0f} s to "
            f"generate); --regenerate makes a new one",
            flush=True,
        )
        run_worker("migrate", url, params)
        return meta
    print(
        f"[{db}] generating {wanted['orgs']:,} organizations, {wanted['people']:,} people, "
        f"{wanted['interactions']:,} interactions …",
        flush=True,
    )
    if db == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        recreate_postgres_database(url)
    meta_path.unlink(missing_ok=True)
    result = run_worker("generate", url, params)
    meta = {
        "params": wanted,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": result["seconds"],
        "counts": result["counts"],
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return meta


def fmt_case(entry: dict | None, kind: str) -> str:
    if not entry:
        return "—"
    if entry.get("error"):
        return entry["error"][:24]
    ms, queries = entry["median_ms"], entry["queries"]
    if kind == "list" and not entry.get("rows"):
        return f"{ms:7.1f} ms  empty page"
    limit_ms, limit_q = TARGETS[kind]
    ok = ms <= limit_ms and (limit_q is None or queries <= limit_q)
    return f"{ms:7.1f} ms {queries:3d} q {'✓' if ok else '✗'}"


def print_table(report: dict) -> None:
    dbs = list(report["databases"])
    header = f"{'':44}" + "".join(f"{db + ' admin':>22}{db + ' member':>22}" for db in dbs)
    print()
    print(
        f"Accord benchmark, size {report['size']} ({report['orgs']:,} organizations, "
        f"{report['people']:,} people, {report['interactions']:,} interactions), "
        f"median of {report['repeat']} calls"
    )
    print(header)
    for key, label, kind in CASES:
        line = f"{label[:43]:44}"
        for db in dbs:
            cases = report["databases"][db].get("cases", {})
            for role in ("admin", "member"):
                line += f"{fmt_case(cases.get(role, {}).get(key), kind):>22}"
        print(line)
    line = f"{'process start + first page':44}"
    for db in dbs:
        start = report["databases"][db].get("start")
        if start and not start.get("error"):
            ok = start["median_ms"] <= START_TARGET[0] and start["peak_rss_mib"] <= START_TARGET[1]
            line += f"{start['median_ms']:7.0f} ms {start['peak_rss_mib']:5.1f} MiB {'✓' if ok else '✗'}"
            line += " " * 20
        else:
            line += f"{(start or {}).get('error', '—')[:40]:>44}"
    print(line)
    print(
        "targets: lists ≤ 50 ms and ≤ 6 queries, detail pages ≤ 25 ms and ≤ 10 queries, search "
        "≤ 20 ms (at size M), process start + first page ≤ 0.7 s and ≤ 80 MiB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="XS", choices=[*SIZES, "custom"])
    parser.add_argument("--orgs", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--interactions", type=int)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--db",
        default="auto",
        choices=["sqlite", "postgres", "both", "auto"],
        help="auto: SQLite, and PostgreSQL too when it answers",
    )
    parser.add_argument("--pg-url", default=os.environ.get("ACCORD_BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true", help="generate the data set anew")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, Path(args.out), json.loads(args.params))

    orgs, people, interactions = SIZES.get(args.size, (None, None, None))
    orgs, people, interactions = (
        args.orgs or orgs,
        args.people or people,
        args.interactions or interactions,
    )
    if not (orgs and people and interactions):
        parser.error("--size custom needs --orgs, --people and --interactions")
    if args.repeat < 15:
        parser.error("--repeat must be at least 15 (medians of at least 15 calls)")
    label = args.size if args.size != "custom" else f"{orgs}-{people}-{interactions}"
    label += f"-seed{args.seed}"
    params = {
        "orgs": orgs,
        "people": people,
        "interactions": interactions,
        "seed": args.seed,
        "repeat": args.repeat,
        "label": label,
    }
    dbs = {"sqlite": ["sqlite"], "postgres": ["postgres"], "both": ["sqlite", "postgres"]}.get(
        args.db, ["sqlite"]
    )
    if args.db == "auto":
        if postgres_answers(args.pg_url):
            dbs.append("postgres")
        else:
            print(f"PostgreSQL does not answer at {args.pg_url}: measuring SQLite only.")
    elif "postgres" in dbs and not postgres_answers(args.pg_url):
        print(f"PostgreSQL does not answer at {args.pg_url}.")
        return 1
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "size": args.size,
        "orgs": orgs,
        "people": people,
        "interactions": interactions,
        "seed": args.seed,
        "repeat": args.repeat,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "commit": git_commit(),
        "databases": {},
    }
    for db in dbs:
        url = f"sqlite:///{VAR / (label + '.sqlite3')}" if db == "sqlite" else args.pg_url
        meta = ensure_data(db, url, params, args.regenerate)
        print(f"[{db}] measuring …", flush=True)
        result = run_worker("measure", url, params)
        result["generation"] = meta
        result["start"] = measure_start(url, args.repeat)
        report["databases"][db] = result
    print_table(report)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{stamp}-{label}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


# --- process start + first page -------------------------------------------------------------------
START_SCRIPT = r"""
import json, os, resource, sys
import django
django.setup()
from django.test import Client
from django.urls import reverse
from accord.users.models import User
client = Client()
client.force_login(User.objects.get(email=sys.argv[1]))
response = client.get(reverse("parties:person_list"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"status": response.status_code, "peak_rss_mib": peak}))
"""


def measure_start(url: str, repeat: int) -> dict:
    """Wall time of a fresh process that sets Django up and renders the people list once."""
    walls, peaks = [], []
    env = worker_env(url)
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", START_SCRIPT, ADMIN],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        walls.append((time.perf_counter() - started) * 1000)
        if done.returncode:
            return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
        child = json.loads(done.stdout.strip().splitlines()[-1])
        if child["status"] != 200:
            return {"error": f"HTTP {child['status']}"}
        peaks.append(child["peak_rss_mib"])
    return {
        "median_ms": statistics.median(walls),
        "min_ms": min(walls),
        "peak_rss_mib": statistics.median(peaks),
        "calls": repeat,
    }


# --- workers (Django set up, DATABASE_URL given) ---------------------------------------------------
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
    out.write_text(json.dumps(result, ensure_ascii=False))
    return 0


def generate(params: dict) -> dict:
    from django.db import connection

    from accord.demo.generator import generate as generate_data

    last = {"stage": "", "at": 0.0}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != last["stage"] or done == total or now - last["at"] > 10:
            last.update(stage=stage, at=now)
            print(f"    {stage:<24} {done:>10,} / {total:,}", flush=True)

    summary = generate_data(
        orgs=params["orgs"],
        people=params["people"],
        interactions=params["interactions"],
        seed=params["seed"],
        progress=progress,
    )
    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:  # what `load_demo`, imports and the periodic job do in a real install
        from accord.core.database import refresh_planner_statistics

        refresh_planner_statistics()
    print(f"    generated in {summary.seconds:.0f} s", flush=True)
    return {"seconds": summary.seconds, "counts": summary.counts}


def measure(params: dict) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from accord.interactions.models import InteractionOrganization, InteractionPerson
    from accord.parties.models import Organization, Person
    from accord.users.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    admin, member = User.objects.get(email=ADMIN), User.objects.get(email=MEMBER)
    # the busiest organization and person the member may see: the heaviest pages a user opens
    org_id = (
        InteractionOrganization.objects.filter(
            organization__in=Organization.objects.visible_to(member)
        )
        .values("organization")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("organization", flat=True)
        .first()
    )
    person_id = (
        InteractionPerson.objects.filter(person__in=Person.objects.visible_to(member))
        .values("person")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("person", flat=True)
        .first()
    )

    def url(name: str, *args, query: str = "") -> str:
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return ""

    urls = {
        "people_p1": url("parties:person_list", query="?per_page=100"),
        "people_p250": url("parties:person_list", query="?per_page=100&page=250"),
        "orgs": url("parties:organization_list"),
        "orgs_filtered": url("parties:organization_list", query="?role=client&country=DE"),
        "org_page": url("parties:organization_detail", org_id) if org_id else "",
        "person_page": url("parties:person_detail", person_id) if person_id else "",
        "search_name": url("search", query="?q=M%C3%BCller"),
        "search_text": url("search", query="?q=Lieferung"),
        "api_people": "/api/parties/people/?page_size=100",
    }
    repeat = params["repeat"]
    cases: dict = {}
    for role, user in (("admin", admin), ("member", member)):
        client = Client()
        client.force_login(user)
        cases[role] = {}
        for key, _label, _kind in CASES:
            target = urls[key]
            if not target:
                cases[role][key] = {"error": "no such page yet"}
                continue
            cases[role][key] = time_calls(client, target, repeat, connection, CaptureQueriesContext)
            print(f"    {role:<7}{key:<15}{fmt_entry(cases[role][key])}", flush=True)
    return {
        "vendor": connection.vendor,
        "database_version": database_version(connection),
        "urls": urls,
        "cases": cases,
    }


def fmt_entry(entry: dict) -> str:
    if entry.get("error"):
        return entry["error"]
    return (
        f"{entry['median_ms']:.1f} ms, {entry['queries']} queries, {entry['rows']} rows, "
        f"{entry['bytes']:,} bytes"
    )


def time_calls(client, target: str, repeat: int, connection, capture) -> dict:
    for _ in range(2):  # warm up: templates, caches, the database's pages
        response = client.get(target)
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}", "url": target}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(target)
        times.append((time.perf_counter() - started) * 1000)
    with capture(connection) as queries:
        response = client.get(target)
    return {
        "url": target,
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
        "calls": repeat,
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
        "rows": rows_shown(response),
    }


def rows_shown(response) -> int:
    """Rows in the page's table body (HTML) or in `results` (API): a deep page must not be empty."""
    if response["Content-Type"].startswith("application/json"):
        return len(json.loads(response.content).get("results", []))
    html = response.content.decode()
    start, end = html.find("<tbody"), html.rfind("</tbody>")
    if start < 0 or end < start:
        return 0
    return html.count("<tr", start, end) - html.count('class="empty-state"', start, end)


def database_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("show server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
