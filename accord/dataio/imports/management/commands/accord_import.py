"""`accord import FILE --kind people --user you@example.com`: import a CSV or XLSX file from the
command line, with the same checks, dry run and duplicate handling as the import pages.

    accord import people.csv --kind people --user admin@example.com --dry-run
    accord import people.csv --kind people --user admin@example.com --on-duplicate skip
    accord import firms.xlsx --kind organizations --user admin@example.com --mapping "Altes CRM"
    accord import contacts.vcf --kind vcard --user admin@example.com --on-duplicate skip
    accord import meetings.ics --kind ical --user admin@example.com
    accord import archive.mbox --kind mail --user admin@example.com   (.eml, .mbox, Maildir .zip)

The file is checked whole, its columns guessed from their names (or taken from a saved mapping),
then every row is read and matched (the dry run, printed as a summary); without `--dry-run` the
import follows, in committed batches. The import appears on the user's import page as if uploaded
there.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accord.dataio.imports import columns, readers, selectors, services
from accord.dataio.imports.choices import DuplicateMode, FuzzyDefault, ImportKind

SHOW_ERRORS = 20
OTHER_KINDS = ("vcard", "ical", "mail")


class ConsoleProgress:
    """The runner's progress, printed: a line every few seconds, errors counted."""

    def __init__(self, out: Any, label: str, quiet: bool = False) -> None:
        self.out, self.label, self.quiet = out, label, quiet
        self.total: int | None = None
        self.done = 0
        self.errors = 0
        self.started = time.monotonic()
        self.last = 0.0

    def set_total(self, total: int | None) -> None:
        self.total = total

    def advance(self, n: int = 1, **counts: int) -> None:
        self.done += n
        now = time.monotonic()
        if not self.quiet and now - self.last >= 2:
            self.last = now
            total = f"/{self.total:,}" if self.total else ""
            rate = self.done / max(now - self.started, 1e-6)
            self.out.write(f"  {self.label}: {self.done:,}{total} rows ({rate:,.0f} rows/s)")

    def save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        pass

    def error(self, *, where: str, message: str, **extra: Any) -> None:
        self.errors += 1

    def restore(
        self, done: int, counts: dict[str, int], errors: list[dict], error_count: int
    ) -> None:
        self.done = done


class Command(BaseCommand):
    help = "Import organizations, people, interactions or follow-ups from a CSV or XLSX file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV or XLSX file (vCard, iCalendar or mail: see --kind)")
        parser.add_argument("--kind", required=True, choices=[*ImportKind.values, *OTHER_KINDS])
        parser.add_argument("--user", required=True, help="email of the importing user")
        parser.add_argument(
            "--mapping", default="", help="name of one of the user's saved mappings"
        )
        parser.add_argument(
            "--on-duplicate",
            choices=DuplicateMode.values,
            default=None,
            help="rows matching a visible record: update (default), skip or create",
        )
        parser.add_argument(
            "--similar",
            choices=FuzzyDefault.values,
            default=None,
            help="rows whose name resembles a record: identical (default), new or same",
        )
        parser.add_argument("--save-mapping", default="", help="save the mapping under this name")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = get_user_model().objects.filter(email__iexact=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email {opts['user']}.")
        if opts["kind"] in OTHER_KINDS:
            self._import_other(path, user, opts)
            return
        saved = None
        if opts["mapping"]:
            saved = selectors.saved_mapping_list(user).filter(name=opts["mapping"]).first()
            if saved is None:
                raise CommandError(f"{user.email} has no saved mapping named “{opts['mapping']}”.")
        try:
            with path.open("rb") as fh:
                run = services.import_create(
                    actor=user,
                    file=File(fh, name=path.name),
                    kind=opts["kind"],
                    on_duplicate=opts["on_duplicate"] or DuplicateMode.UPDATE,
                    saved_mapping=saved,
                    filename=path.name,
                )
            self._show_file(run)
            run = services.import_set_mapping(
                actor=user,
                run=run,
                mapping=run.mapping,
                on_duplicate=opts["on_duplicate"],
                fuzzy_default=opts["similar"],
                save_as=opts["save_mapping"],
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(self._message(exc)) from exc
        self.stdout.write(f"Dry run of {run.filename} ({run.get_kind_display()}) …")
        progress = ConsoleProgress(self.stderr, "dry run", opts["quiet"])
        try:
            run = services.run_check(run=run, progress=progress)
        except readers.FileRejected as exc:
            raise CommandError(exc.message) from exc
        self._summary(run.report, "Dry run")
        if opts["dry_run"]:
            self.stdout.write(
                f"Nothing written. Confirm on the import page ({run.get_absolute_url()}) or run "
                "again without --dry-run."
            )
            return
        self.stdout.write("Importing …")
        progress = ConsoleProgress(self.stderr, "import", opts["quiet"])
        started = time.monotonic()
        try:
            run = services.run_import(run=run, progress=progress)
        except readers.FileRejected as exc:
            raise CommandError(exc.message) from exc
        except Exception:
            services.mark_failed(run, "The import stopped because of an unexpected error.")
            raise
        seconds = time.monotonic() - started
        self._summary(run.result, "Imported", seconds=seconds)
        self.stdout.write(self.style.SUCCESS(f"Done: {run.get_absolute_url()}"))

    def _import_other(self, path: Path, user: Any, opts: dict[str, Any]) -> None:
        """vCard, iCalendar and mail files: the same job their upload pages start, run here."""
        from accord.core.jobs import execute_job
        from accord.dataio.calendars.services import calendar_import_start
        from accord.dataio.mail.services.imports import mail_import_start

        kind = opts["kind"]
        if opts["dry_run"]:
            raise CommandError(f"--dry-run is not available for --kind {kind}.")
        try:
            with path.open("rb") as fh:
                upload = File(fh, name=path.name)
                if kind == "mail":
                    job = mail_import_start(actor=user, upload=upload)
                else:
                    extra = {"on_duplicate": opts["on_duplicate"]} if opts["on_duplicate"] else {}
                    job = calendar_import_start(
                        actor=user, file_format=kind, uploaded_file=upload, **extra
                    ).job
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(self._message(exc)) from exc
        self.stdout.write(f"Importing {path.name} ({kind}) …")
        started = time.monotonic()
        execute_job(job.pk)
        job.refresh_from_db()
        seconds = time.monotonic() - started
        counts = ", ".join(f"{label}: {value:,}" for label, value in job.labelled_counts)
        self.stdout.write(f"{job.done:,} done in {seconds:.1f} s — {counts or 'nothing'}")
        for error in job.errors[:SHOW_ERRORS]:
            self.stdout.write(f"  {error['where']}: {error['message']}")
        if job.error_count > SHOW_ERRORS:
            self.stdout.write(f"  … and {job.error_count - SHOW_ERRORS:,} more errors")
        if job.status != job.Status.SUCCEEDED:
            raise CommandError(job.failure or "The import failed.")
        self.stdout.write(self.style.SUCCESS(f"Done: {job.get_absolute_url()}"))

    def _message(self, exc: Exception) -> str:
        if isinstance(exc, ValidationError):
            return " ".join(exc.messages)
        return str(exc)

    def _show_file(self, run: Any) -> None:
        if run.file_format == "csv":
            detected = f"CSV, {run.encoding}, delimiter “{run.delimiter}”"
        else:
            detected = f"XLSX, sheet “{run.sheet}”"
        self.stdout.write(f"{run.filename}: {detected}; columns:")
        labels = {f.key: str(f.label) for f in columns.fields_for(run.kind)}
        for index, header in enumerate(run.headers):
            key = run.mapping.get(str(index), "")
            target = labels.get(key, "—  (not imported)")
            self.stdout.write(f"  {header:<30} → {target}")
        missing = columns.missing_required(run.kind, run.mapping)
        if missing:
            names = ", ".join(str(f.label) for f in missing)
            raise CommandError(
                f"No column found for: {names}. Rename the columns, or save a mapping on the "
                "import page and pass --mapping."
            )

    def _summary(self, report: dict, title: str, seconds: float | None = None) -> None:
        counts = report.get("counts", {})
        parts = [f"{key.replace('_', ' ')}: {value:,}" for key, value in counts.items() if value]
        rows = report.get("rows", report.get("rows_done", 0))
        rate = f" in {seconds:.1f} s ({rows / max(seconds, 1e-6):,.0f} rows/s)" if seconds else ""
        self.stdout.write(f"{title}: {rows:,} rows{rate} — " + (", ".join(parts) or "nothing"))
        errors = report.get("errors", [])
        for error in errors[:SHOW_ERRORS]:
            self.stdout.write(
                f"  row {error['row']}, {error['column']}: {error['message']}"
                + (f" (“{error['value']}”)" if error.get("value") else "")
            )
        total = report.get("error_count", len(errors))
        if total > SHOW_ERRORS:
            self.stdout.write(f"  … and {total - SHOW_ERRORS:,} more errors (see the import page)")
        sys.stdout.flush()
