"""`manage.py load_demo`: load the seeded demo data set (or a benchmark size) into the database."""

from __future__ import annotations

import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accord.core.database import refresh_planner_statistics
from accord.demo import generator
from accord.demo.accounts import login_text


def restore_configuration() -> None:
    """`flush` empties every table, also the rows data migrations put there (the default sales
    pipelines and lost reasons): put those back as their migration does."""
    from importlib import import_module

    from django.apps import apps

    import_module("accord.pipeline.migrations.0002_default_pipelines").create(apps, None)


class Command(BaseCommand):
    help = (
        "Load realistic, reproducible demo data: organizations of every role, people with "
        "positions, relationships, two years of interactions, follow-ups and demo users. "
        "Refuses to load into a database that holds data unless --flush is given."
    )

    def add_arguments(self, parser):
        size = generator.DEMO_SIZE
        parser.add_argument("--orgs", type=int, default=size["orgs"], help="organizations")
        parser.add_argument("--people", type=int, default=size["people"], help="people")
        parser.add_argument(
            "--interactions", type=int, default=size["interactions"], help="interactions"
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--flush", action="store_true", help="delete ALL data in the database first"
        )
        parser.add_argument(
            "--no-history", action="store_true", help="skip change-history rows (faster)"
        )

    def handle(self, *args, **options):
        if not generator.database_is_empty():
            if not options["flush"]:
                raise CommandError(
                    "The database already holds data. Run again with --flush to delete "
                    "everything in it and load the demo data."
                )
            self.stdout.write("Deleting all data …")
            call_command("flush", interactive=False, verbosity=0)
            restore_configuration()
        last = {"stage": None, "at": 0.0}
        verbosity = options["verbosity"]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if verbosity < 1:
                return
            if stage != last["stage"] or done == total or now - last["at"] > 2:
                last.update(stage=stage, at=now)
                self.stdout.write(f"  {stage:<24} {done:>10,} / {total:,}")
                sys.stdout.flush()

        self.stdout.write(
            f"Loading demo data: {options['orgs']:,} organizations, {options['people']:,} people, "
            f"{options['interactions']:,} interactions (seed {options['seed']}) …"
        )
        summary = generator.generate(
            orgs=options["orgs"],
            people=options["people"],
            interactions=options["interactions"],
            seed=options["seed"],
            progress=progress,
            history=not options["no_history"],
        )
        refresh_planner_statistics()
        counts = ", ".join(f"{n:,} {name}" for name, n in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded in {summary.seconds:.1f} s: {counts}"))
        self.stdout.write(login_text(summary.users, summary.password, summary.portal_email))
