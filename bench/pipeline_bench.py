#!/usr/bin/env python
"""The pipeline pages at 100,000 opportunities: board, forecast, win/loss, targets, signal trends.

    python bench/pipeline_bench.py                   # 100,000 opportunities on SQLite
    python bench/pipeline_bench.py --opportunities 20000 --repeat 30 --regenerate

The data set (var/bench/pipeline-<n>.sqlite3) is built once with the demo generator — 2,000
organizations, 6,000 people, no interactions, `--opportunities` deals over 24 months with their
lines and stage history, plus the demo's competitors, targets and signals — and reused while the
size stays the same. Each page is then called `--repeat` times (after two warm-up calls) with
Django's test client, as an admin (sees everything) and as a member (the visibility rule is in
every query); the median and the 95th percentile are printed, with the query count of one call.
Target (issue 4): board and forecast ≤ 200 ms p95 at 100,000 opportunities on SQLite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from timing import cell, setup_sqlite, time_page, write_result  # noqa: E402

VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
ADMIN, MEMBER = "admin@accord.example", "julia.hoffmann@accord.example"
TARGET_MS = 200.0
# (label, URL name, query string, counts toward the target)
CASES = (
    ("board, default pipeline", "pipeline:opportunity_board", "", True),
    ("board, second pipeline", "pipeline:opportunity_board", "pipeline={second}", True),
    ("board, filtered by owner", "pipeline:opportunity_board", "owner={member_id}", True),
    ("forecast, current quarter, company", "pipeline:forecast", "", True),
    ("forecast, a team", "pipeline:forecast", "scope=team&team={team_id}", True),
    ("opportunity list", "pipeline:opportunity_list", "", False),
    ("win/loss report", "pipeline:competitor_win_loss", "", False),
    ("targets list", "pipeline:revenuetarget_list", "", False),
    ("signal trends", "pipeline:marketsignal_trends", "", False),
)


def setup(db_path: Path) -> None:
    setup_sqlite(db_path, ROOT)


def generate(db_path: Path, opportunities: int) -> float:
    from django.core.management import call_command

    from accord.demo.generator import generate as demo_generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_generate(
        orgs=2_000, people=6_000, interactions=0, opportunities=opportunities, history=False
    )
    # as `load_demo`, imports and the periodic job do in a real install
    from accord.core.database import refresh_planner_statistics

    refresh_planner_statistics()
    return time.perf_counter() - started


def measure(repeat: int) -> dict:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accord.pipeline.models import Opportunity, Pipeline
    from accord.users.models import User

    member = User.objects.get(email=MEMBER)
    fill = {
        "second": Pipeline.objects.order_by("-is_default", "name").values_list("pk", flat=True)[1],
        "member_id": member.pk,
        "team_id": member.teams.values_list("pk", flat=True).first(),
    }
    out: dict = {"opportunities": Opportunity.objects.count(), "cases": {}}
    for role, email in (("admin", ADMIN), ("member", MEMBER)):
        client = Client()
        client.force_login(User.objects.get(email=email))
        for label, name, query, _target in CASES:
            try:
                url = reverse(name)
            except NoReverseMatch:
                out["cases"].setdefault(label, {})[role] = {"error": "no such page"}
                continue
            if query:
                url += "?" + query.format(**fill)
            out["cases"].setdefault(label, {})[role] = time_page(client, url, repeat)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    db_path = VAR / f"pipeline-{args.opportunities}.sqlite3"
    meta_path = db_path.with_suffix(".json")
    if args.regenerate or not db_path.exists() or not meta_path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        setup(db_path)
        print(f"generating {args.opportunities:,} opportunities …", flush=True)
        seconds = generate(db_path, args.opportunities)
        meta_path.write_text(json.dumps({"seconds": round(seconds, 1)}))
        print(f"generated in {seconds:.0f} s", flush=True)
    else:
        setup(db_path)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    result = measure(args.repeat)
    print(
        f"\nAccord pipeline benchmark, SQLite, {result['opportunities']:,} opportunities, "
        f"{args.repeat} calls per page (median / p95 / queries)"
    )
    print(f"{'':40}{'admin':>28}{'member':>28}")
    for label, _name, _query, target in CASES:
        line = f"{label:40}"
        for role in ("admin", "member"):
            entry = result["cases"].get(label, {}).get(role, {})
            line += f"{cell(entry, TARGET_MS if target else None):>28}"
        print(line)
    print(f"target: board and forecast ≤ {TARGET_MS:.0f} ms p95 (✓/✗)")
    write_result(result, RESULTS, f"pipeline-{args.opportunities}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
