"""`accord backup [FILE]`: the whole instance (every row, the stored files) as one ZIP archive."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accord.dataio.exports.services.backup import BackupError, create_backup


def default_target() -> Path:
    var = Path(getattr(settings, "VAR_DIR", Path.cwd()))
    return var / "backups" / f"accord-backup-{timezone.now():%Y%m%d-%H%M%S}.zip"


class Command(BaseCommand):
    help = (
        "Write every row of the database and every stored file into one ZIP archive "
        "(restore it with `accord restore FILE`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="Where to write the archive (default: var/backups/accord-backup-<time>.zip).",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Leave the stored files (uploads) out."
        )

    def handle(self, *args, **options):
        target = Path(options["file"]) if options["file"] else default_target()
        verbose = options["verbosity"] > 1

        def log(message: str) -> None:
            if verbose:
                self.stdout.write(f"  {message}")

        try:
            manifest = create_backup(target, media=not options["no_media"], log=log)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(m["count"] for m in manifest["models"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {rows} rows of {len(manifest['models'])} models, "
                f"{len(manifest['media'])} files."
            )
        )
