"""`accord restore FILE`: load an archive of `accord backup` into an empty, migrated database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accord.dataio.exports.services.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `accord backup` into this (empty, migrated) database, "
        "in one transaction: on any error nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive (.zip) written by `accord backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete everything in this database first (it is refused when not empty).",
        )
        parser.add_argument(
            "--ignore-migrations",
            action="store_true",
            help="Load even when the archive's migrations differ from this database's.",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Restore the rows only, not the stored files."
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 1

        def log(message: str) -> None:
            if verbose:
                self.stdout.write(f"  {message}")

        try:
            result = restore_backup(
                options["file"],
                force=options["force"],
                ignore_migrations=options["ignore_migrations"],
                media=not options["no_media"],
                log=log,
            )
        except BackupError as exc:
            raise CommandError(f"Nothing was restored. {exc}") from exc
        made = result.manifest.get("created_at", "?")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(result.counts.values())} rows of {len(result.counts)} models and "
                f"{result.media} files from the backup of {made}."
            )
        )
