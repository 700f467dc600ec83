#!/usr/bin/env python
"""Import benchmark: 100,000 CSV rows of people with positions, end to end.

    python bench/import_bench.py                         # 100,000 rows on SQLite
    python bench/import_bench.py --rows 20000 --existing 5000
    python bench/import_bench.py --db postgres://postgres@127.0.0.1:5432/accord_import_bench

A fresh database gets `--existing` people (the demo generator, at 5 people per organization), then a
CSV is written like a German Excel export (`;`, UTF-8 with BOM): first and last name, email, phone,
mobile, company, job title, department, external id. About 5 % of the rows carry the address of an
existing person (matched: updated), 30 % of the companies exist already (linked), the rest are
created with the people; names repeat as real names do, so the similar-name check has work to do.

The import runs as the importing user would run it, through `accord.dataio.imports.services`:
inspection of the upload, the dry run (read, validate, match every row), the import (the same plus
the writes, committed per batch of 2,000). Printed: seconds and rows/s of each step, rows/s end to
end (all three), SQL statements, and peak memory of the measuring process (ru_maxrss; the data set
and the CSV are made by a child process, so they do not count). Target (issue 3): ≥ 10,000 rows/s
end to end on SQLite; worker memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
ADMIN = "admin@accord.example"


def setup_django(db_url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["ACCORD_MEDIA_ROOT"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings.dev")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(args: argparse.Namespace) -> None:
    """Child process: fresh database with existing people, and the CSV file."""
    if args.db.startswith("sqlite:///"):
        path = Path(args.db.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from run import recreate_postgres_database  # type: ignore[import-not-found]

        recreate_postgres_database(args.db)
    setup_django(args.db, args.media)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accord.demo.generator import generate

    generate(
        orgs=max(1, args.existing // 5),
        people=args.existing,
        interactions=0,
        follow_ups=0,
        history=False,
        seed=7,
    )
    write_csv(args)


def write_csv(args: argparse.Namespace) -> None:
    from faker import Faker

    from accord.dataio.imports.engine.matching import fold
    from accord.parties.models import Organization, PersonEmail

    rng = random.Random(11)
    fake = Faker("de_DE")
    fake.seed_instance(11)
    firsts = list({fake.first_name() for _ in range(3000)})
    lasts = list({fake.last_name() for _ in range(6000)})
    existing_orgs = list(Organization.objects.order_by("pk").values_list("name", flat=True)[:3000])
    new_orgs = list({fake.company() for _ in range(6000)} - set(existing_orgs))
    existing_emails = list(PersonEmail.objects.order_by("pk").values_list("email", flat=True))
    titles = [
        "Einkauf",
        "Geschäftsführer",
        "CTO",
        "Leiterin Vertrieb",
        "Projektleiter",
        "Controller",
    ]
    departments = ["Einkauf", "IT", "Vertrieb", "Finanzen", "Technik", ""]
    with open(args.csv, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(
            [
                "Vorname",
                "Nachname",
                "E-Mail",
                "Telefon",
                "Mobil",
                "Firma",
                "Position",
                "Abteilung",
                "Externe ID",
            ]
        )
        for i in range(args.rows):
            first, last = rng.choice(firsts), rng.choice(lasts)
            if existing_emails and rng.random() < 0.05:
                email = rng.choice(existing_emails)
            else:
                name = "".join(c for c in fold(f"{first} {last}") if c.isalnum() or c in " -")
                local = ".".join(name.split())
                email = f"{local}.{i}@example{rng.randint(1, 400)}.de"
            phone = f"030 {rng.randint(20000000, 99999999)}" if rng.random() < 0.7 else ""
            mobile = f"0151 {rng.randint(10000000, 99999999)}" if rng.random() < 0.3 else ""
            org = (
                rng.choice(existing_orgs)
                if existing_orgs and rng.random() < 0.3
                else rng.choice(new_orgs)
            )
            writer.writerow(
                [
                    first,
                    last,
                    email,
                    phone,
                    mobile,
                    org,
                    rng.choice(titles),
                    rng.choice(departments),
                    f"X{i:07d}",
                ]
            )


class Counting:
    """Progress that counts what the runner reports (no job)."""

    def __init__(self) -> None:
        self.done = 0
        self.errors = 0

    def set_total(self, total):
        pass

    def advance(self, n=1, **counts):
        self.done += n

    def save_checkpoint(self, checkpoint):
        pass

    def error(self, *, where, message, **extra):
        self.errors += 1

    def restore(self, done, counts, errors, error_count):
        self.done = done


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_status() -> dict[str, float]:
    """Resident memory now, split (Linux): anonymous (the process's own heap) and file-backed
    (SQLite's memory-mapped database pages, which the OS may drop at any time)."""
    found: dict[str, float] = {}
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                key, _sep, value = line.partition(":")
                if key in ("RssAnon", "RssFile", "VmHWM"):
                    found[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return found


def measure(args: argparse.Namespace) -> dict:
    setup_django(args.db, args.media)
    if args.receivers == "none":
        from accord.core.signals import record_changed

        record_changed.receivers.clear()  # the import's own cost, without the webhooks receiver
        record_changed.sender_receivers_cache.clear()
    from django.core.files import File
    from django.db import connection

    from accord.dataio.imports import services
    from accord.parties.models import Organization, Person
    from accord.users.models import User

    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    user = User.objects.get(email=ADMIN)
    if args.endpoint:
        # an active webhook endpoint that wants every event (nothing is sent: no worker runs)
        from accord.dataio.webhooks.models import WebhookEndpoint

        WebhookEndpoint.objects.create(
            owner=user, name="bench", url="https://hooks.example.com/accord", all_events=True
        )
    before_people, before_orgs = Person.objects.count(), Organization.objects.count()
    figures: dict = {
        "rows": args.rows,
        "existing_people": before_people,
        "db": connection.vendor,
        "record_changed_receivers": args.receivers,
        "webhook_endpoint": args.endpoint,
    }
    start_mem = peak_mib()
    load = os.getloadavg()[0]
    with connection.execute_wrapper(count):
        t0, c0 = time.perf_counter(), time.process_time()
        with open(args.csv, "rb") as fh:
            run = services.import_create(
                actor=user, file=File(fh, name="people.csv"), kind="people", filename="people.csv"
            )
        t1, c1 = time.perf_counter(), time.process_time()
        services.run_check(run=run, progress=Counting())
        t2, c2 = time.perf_counter(), time.process_time()
        after_dry_run = memory_status()
        services.run_import(run=run, progress=Counting())
        t3, c3 = time.perf_counter(), time.process_time()
    run.refresh_from_db()
    figures.update(
        mapping=run.mapping,
        dry_run=run.report["counts"],
        result=run.result["counts"],
        inspect_s=round(t1 - t0, 2),
        dry_run_s=round(t2 - t1, 2),
        import_s=round(t3 - t2, 2),
        total_s=round(t3 - t0, 2),
        cpu_inspect_s=round(c1 - c0, 2),
        cpu_dry_run_s=round(c2 - c1, 2),
        cpu_import_s=round(c3 - c2, 2),
        import_rows_per_cpu_s=round(args.rows / (c3 - c2)),
        load_average_before=round(load, 2),
        load_average_after=round(os.getloadavg()[0], 2),
        import_rows_per_s=round(args.rows / (t3 - t2)),
        upload_and_import_rows_per_s=round(args.rows / ((t1 - t0) + (t3 - t2))),
        dry_run_rows_per_s=round(args.rows / (t2 - t1)),
        end_to_end_rows_per_s=round(args.rows / (t3 - t0)),
        sql_statements=statements[0],
        peak_rss_mib_before=round(start_mem, 1),
        peak_rss_mib=round(peak_mib(), 1),
        # the helper process that checks addresses and numbers ahead (engine/ahead.py), forked
        # from this one: most of its pages are shared with it
        helper_peak_rss_mib=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        rss_after_dry_run_mib=after_dry_run,
        rss_at_end_mib=memory_status(),
        people_added=Person.objects.count() - before_people,
        organizations_added=Organization.objects.count() - before_orgs,
        csv_mib=round(os.path.getsize(args.csv) / 1024 / 1024, 1),
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=10_000, help="people already stored")
    parser.add_argument("--db", default=f"sqlite:///{VAR / 'import.sqlite3'}")
    parser.add_argument("--stage", choices=["all", "prepare", "measure"], default="all")
    parser.add_argument("--csv", default="")
    parser.add_argument("--media", default="")
    parser.add_argument(
        "--receivers",
        choices=["both", "wired", "none"],
        default="both",
        help="record-changed receivers (webhooks) as wired, disconnected, or one run of each",
    )
    parser.add_argument(
        "--endpoint",
        action="store_true",
        help="store an active webhook endpoint for all events first (deliveries are queued)",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="accord-import-bench-")
    args.csv = args.csv or str(Path(workdir) / "people.csv")
    args.media = args.media or str(Path(workdir) / "media")
    if args.stage == "prepare":
        prepare(args)
        return
    if args.stage == "measure":
        print(json.dumps(measure(args)))
        return
    common = ["--rows", str(args.rows), "--existing", str(args.existing), "--db", args.db]
    common += ["--csv", args.csv, "--media", args.media]
    variants = ["none", "wired"] if args.receivers == "both" else [args.receivers]
    for variant in variants:
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--stage", "prepare", *common], check=True)
        print(
            f"prepared in {time.perf_counter() - started:.0f} s: {args.existing:,} people "
            f"stored, {args.rows:,} CSV rows"
        )
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--stage",
                "measure",
                "--receivers",
                variant,
                *(["--endpoint"] if args.endpoint else []),
                *common,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        for key, value in figures.items():
            print(f"{key:>28}: {value}")
        met = "met" if figures["upload_and_import_rows_per_s"] >= 10_000 else "NOT met"
        print(f"target ≥ 10,000 rows/s (upload check + import job): {met}\n")


if __name__ == "__main__":
    main()
