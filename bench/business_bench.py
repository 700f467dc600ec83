#!/usr/bin/env python
"""The pages of the business and client-relationship areas (issues 5 and 6) on the demo data set.

    python bench/business_bench.py               # the demo data set on SQLite, 20 calls per page
    python bench/business_bench.py --scale 10    # ten times the demo's business records
    python bench/business_bench.py --repeat 40 --regenerate

The data set (var/bench/business-demo.sqlite3) is what `make demo` loads: 300 organizations,
80 suppliers with 2,600 purchase orders, 438 budgets, 300 contracts, ~400 commitments,
60 negotiations, 1,500 cases, 301 appointments, 3,000 orders with their invoices and payments,
12 portal accounts. `--scale N` multiplies the organizations and people and the business records
(cases, orders, contracts, purchase orders) by N, with the demo's 20,000 interactions
(var/bench/business-xN.sqlite3). A data set is built once (the load time is printed) and reused. Each page is called
`--repeat` times after two warm-up calls with Django's test client, as an admin (sees everything),
as a member (the visibility rule is in every query) and, for the portal, as the client with the
most orders; median and 95th percentile, with the query count of one call. The issues name no
target for these pages; the figures are reported as they are.
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
# (label, URL name, query string)
STAFF_CASES = (
    ("supplier list", "procurement:supplierprofile_list", ""),
    ("purchase orders", "procurement:purchaseorder_list", ""),
    ("scorecard ranking", "procurement:supplierscore_list", ""),
    ("budgets", "procurement:budget_list", ""),
    ("cost-factor trends", "procurement:cost_trends", ""),
    ("contracts", "contracts:contract_list", ""),
    ("contract portfolio", "contracts:contract_portfolio", ""),
    ("contract calendar", "contracts:contract_calendar", ""),
    ("commitments", "contracts:commitment_list", ""),
    ("negotiation analysis", "contracts:negotiation_analysis", ""),
    ("community overview", "community:overview", ""),
    ("cases", "servicedesk:case_list", ""),
    ("service standards", "servicedesk:case_standards", ""),
    ("service calendar", "servicedesk:calendar", ""),
    ("orders", "commerce:order_list", ""),
    ("invoices, overdue", "commerce:invoice_list", "overdue=true"),
    ("payments", "commerce:payment_list", ""),
)
PORTAL_CASES = (
    ("portal home", "portal:home", ""),
    ("portal orders", "portal:orders", ""),
    ("portal invoices", "portal:invoices", ""),
    ("portal cases", "portal:cases", ""),
    ("portal services", "portal:services", ""),
)


def setup(db_path: Path) -> None:
    setup_sqlite(db_path, ROOT)


def generate(scale: int) -> float:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if scale == 1:
        call_command("load_demo", verbosity=0)
        return time.perf_counter() - started
    from accord.core.database import refresh_planner_statistics
    from accord.demo.accounts import DEMO_SIZE
    from accord.demo.generator import generate as demo_generate

    demo_generate(
        orgs=DEMO_SIZE["orgs"] * scale,
        people=DEMO_SIZE["people"] * scale,
        interactions=DEMO_SIZE["interactions"],
        business_scale=scale,
    )
    refresh_planner_statistics()  # as `load_demo` does
    return time.perf_counter() - started


def measure(repeat: int) -> dict:
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accord.commerce.models import Order
    from accord.portal.models import PortalAccount
    from accord.portal.testing import portal_client
    from accord.users.models import User

    out: dict = {"orders": Order.objects.count(), "cases": {}}

    def run(label: str, name: str, query: str, role: str, client) -> None:
        try:
            url = reverse(name)
        except NoReverseMatch:
            out["cases"].setdefault(label, {})[role] = {"error": "no such page"}
            return
        if query:
            url += "?" + query
        out["cases"].setdefault(label, {})[role] = time_page(client, url, repeat)

    for role, email in (("admin", ADMIN), ("member", MEMBER)):
        client = Client()
        client.force_login(User.objects.get(email=email))
        for label, name, query in STAFF_CASES:
            run(label, name, query, role, client)
    account = (
        PortalAccount.objects.filter(is_active=True)
        .annotate(n=Count("organization__orders"))
        .order_by("-n", "pk")
        .first()
    )
    if account is not None:
        client = portal_client(account)
        for label, name, query in PORTAL_CASES:
            run(label, name, query, "client", client)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scale", type=int, default=1, help="times the demo's business records")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "demo" if args.scale == 1 else f"x{args.scale}"
    db_path = VAR / f"business-{name}.sqlite3"
    meta_path = db_path.with_suffix(".json")
    if args.regenerate or not db_path.exists() or not meta_path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        setup(db_path)
        print(f"building the data set ({name}) …", flush=True)
        seconds = generate(args.scale)
        meta_path.write_text(json.dumps({"seconds": round(seconds, 1)}))
        print(f"loaded in {seconds:.1f} s", flush=True)
    else:
        setup(db_path)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        seconds = json.loads(meta_path.read_text())["seconds"]
        print(f"data set {name} reused (it was built in {seconds:.1f} s)")
    result = measure(args.repeat)
    result["load_seconds"] = seconds
    result["scale"] = args.scale
    print(
        f"\nAccord business pages, SQLite, data set {name} ({result['orders']:,} orders), "
        f"{args.repeat} calls per page (median / p95 / queries)"
    )
    print(f"{'':28}{'admin':>28}{'member':>28}")
    for label, _name, _query in STAFF_CASES:
        entries = result["cases"].get(label, {})
        print(
            f"{label:28}" + "".join(f"{cell(entries.get(r, {})):>28}" for r in ("admin", "member"))
        )
    print(f"{'':28}{'client':>28}")
    for label, _name, _query in PORTAL_CASES:
        print(f"{label:28}{cell(result['cases'].get(label, {}).get('client', {})):>28}")
    write_result(result, RESULTS, f"business-{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
