"""Running an import: the dry run (read and plan every row, write nothing) and the import itself
(one committed transaction per batch, with its checkpoint).

The import's checkpoint is `ImportRun.rows_committed`, the last file row of the last committed batch,
written in the same transaction as the batch (and copied to the job's checkpoint, also in that
transaction). A worker killed halfway loses at most the batch it was writing; the job run again
starts after the checkpoint, so every row is imported exactly once. Rows with errors are reported
and skipped; the file itself was read completely by the dry run before the first write, so a file
that cannot be read fails there and changes nothing.

Both functions report through a `Progress` (the job's context, or the console for
`accord import`).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, Protocol

from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import signals

from .. import readers
from ..choices import ImportKind, ImportStatus, RowAction
from ..engine import Planned, RowData, handler_for
from ..models import ImportRun
from .lifecycle import opener, table_info

BATCH_SIZE = 4000  # rows per committed transaction (fewer commits: FTS5 flushes its index at each)
KEEP_ERRORS = 200  # on the import (the job keeps up to 1000)
KEEP_SIMILAR = 500
KEEP_SAMPLES = 10
ACTIONS = (RowAction.CREATE, RowAction.UPDATE, RowAction.SKIP, RowAction.ERROR)
RECORD_URLS: dict[str, str] = {
    ImportKind.ORGANIZATIONS: "parties:organization_detail",
    ImportKind.PEOPLE: "parties:person_detail",
}


# The import job counts what was done (the dry run what would be): the job page names them so.
JOB_COUNT_KEYS: dict[str, str] = {
    RowAction.CREATE: "created",
    RowAction.UPDATE: "updated",
    RowAction.SKIP: "skipped",
}


def job_counts(counts: dict[str, int]) -> dict[str, int]:
    return {JOB_COUNT_KEYS.get(k, k): v for k, v in counts.items()}


class Progress(Protocol):
    def set_total(self, total: int | None) -> None: ...
    def advance(self, n: int = 1, **counts: int) -> None: ...
    def save_checkpoint(self, checkpoint: dict[str, Any]) -> None: ...
    def error(self, *, where: str, message: str, **extra: Any) -> None: ...
    def restore(
        self, done: int, counts: dict[str, int], errors: list[dict[str, Any]], error_count: int
    ) -> None: ...


class NullProgress:
    def set_total(self, total: int | None) -> None:
        pass

    def advance(self, n: int = 1, **counts: int) -> None:
        pass

    def save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        pass

    def error(self, *, where: str, message: str, **extra: Any) -> None:
        pass

    def restore(
        self, done: int, counts: dict[str, int], errors: list[dict[str, Any]], error_count: int
    ) -> None:
        pass


def _batches(
    rows: Iterable[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _read_batches(
    handler: Any, rows: Iterable[tuple[int, list[str]]]
) -> Iterator[tuple[list[RowData], int]]:
    """The rows read by the handler, batch by batch, with the last file row of each batch. The
    next batch is handed to `handler.prefetch()` before this one is handed out, so that its slow
    checks run in a helper while this one is matched and written."""
    batches = _batches(rows, BATCH_SIZE)
    current = next(batches, None)
    while current is not None:
        read = [handler.read(row, cells) for row, cells in current]
        following = next(batches, None)
        if following is not None:
            handler.prefetch(following)
        yield read, current[-1][0]
        current = following


def _record_url(kind: str, record_id: int | None) -> str:
    name = RECORD_URLS.get(kind)
    if not name or not record_id or record_id < 0:
        return ""
    try:
        return reverse(name, args=[record_id])
    except NoReverseMatch:
        return ""


def progress_error(error: dict[str, Any]) -> dict[str, Any]:
    """A row error as the job's error list shows it: where, and what about which column."""
    return {
        "where": _("row %(row)s") % {"row": error["row"]},
        "message": f"{error['column']}: {error['message']}",
        "value": error.get("value", ""),
    }


class Summary:
    """Counts, the first errors and similar names, a few sample rows per action."""

    def __init__(self, kind: str, progress: Progress) -> None:
        self.kind = kind
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.rows = 0
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0
        self.similar: list[dict[str, Any]] = []
        self.samples: dict[str, list[dict[str, Any]]] = {a: [] for a in ACTIONS[:3]}
        self.batch_errors: list[dict[str, Any]] = []

    def report_batch_errors(self) -> None:
        """The last batch's errors to the progress (for the import: once the batch is committed,
        so that a batch written again after a crash is not reported twice)."""
        for error in self.batch_errors:
            self.progress.error(**progress_error(error))

    def add(self, planned: list[Planned], extra: dict[str, int]) -> Counter[str]:
        batch: Counter[str] = Counter(p.action for p in planned)
        batch.update({k: v for k, v in extra.items() if v})
        self.rows += len(planned)
        self.counts.update(batch)
        self.batch_errors = []
        for p in planned:
            if p.action == RowAction.ERROR:
                for error in p.data.errors:
                    self.error_count += 1
                    self.batch_errors.append(error.as_dict())
                    if len(self.errors) < KEEP_ERRORS:
                        self.errors.append(error.as_dict())
                continue
            if p.similar is not None:
                self.counts["similar"] += 1
                batch["similar"] += 1
                if len(self.similar) < KEEP_SIMILAR:
                    self.similar.append(
                        {
                            "row": p.row,
                            "label": p.data.label,
                            "record_id": p.similar.record_id if p.similar.record_id > 0 else None,
                            "record_label": p.similar.label,
                            "record_url": _record_url(self.kind, p.similar.record_id),
                            "score": p.similar.score,
                            "identical": p.similar.identical,
                            "decision": p.decision,
                        }
                    )
            samples = self.samples.get(p.action)
            if samples is not None and len(samples) < KEEP_SAMPLES:
                samples.append({"row": p.row, "label": p.data.label, "reason": str(p.reason)})
        return batch

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "counts": {a: self.counts.get(a, 0) for a in ACTIONS}
            | {k: v for k, v in self.counts.items() if k not in ACTIONS},
            "errors": self.errors,
            "error_count": self.error_count,
            "similar": self.similar,
            "samples": self.samples,
        }


@contextmanager
def _bulk_run() -> Iterator[None]:
    """Settings for the length of one run, undone afterwards.

    * The matching indexes hold a few hundred thousand small objects for the whole run; Python's
      cyclic garbage collector would walk all of them again and again (it doubled the run time):
      they are frozen out of its sight, and collections run less often.
    * On SQLite, the connection stops memory-mapping the database file: a bulk run touches far
      more of the file than a page request, and mapped pages count in the worker's resident
      memory (80 MB more at 100,000 people); the bounded page cache serves as fast.
    """
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    mmap_size = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            row = cursor.fetchone()
            mmap_size = int(row[0]) if row else None
            cursor.execute("PRAGMA mmap_size=0")
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
        if mmap_size:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA mmap_size={mmap_size:d}")


def _rows(run: ImportRun) -> Iterator[tuple[int, list[str]]]:
    return readers.iter_rows(opener(run), run.filename, table_info(run))


def _fail(run: ImportRun, message: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED, error=message, updated_at=timezone.now()
    )


def run_check(*, run: ImportRun, progress: Progress) -> ImportRun:
    """The dry run: read, validate and match every row; store what the import would do."""
    run.refresh_from_db()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.CHECKING, error="")
    handler = handler_for(run, actor=run.owner, dry_run=True)
    summary = Summary(run.kind, progress)
    progress.set_total(run.total_rows)
    progress.restore(0, {}, [], 0)  # a dry run run again starts from nothing
    try:
        with _bulk_run():
            for read, _last_row in _read_batches(handler, _rows(run)):
                planned = handler.plan(read)
                counts = summary.add(planned, handler.extra_counts(planned))
                summary.report_batch_errors()
                progress.advance(len(planned), **{str(k): v for k, v in counts.items()})
    except readers.FileRejected as exc:
        _fail(run, exc.message)
        raise
    finally:
        handler.close()
    report = summary.as_dict()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.CHECKED,
        report=report,
        total_rows=summary.rows,
        checked_at=timezone.now(),
        updated_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def run_import(*, run: ImportRun, progress: Progress) -> ImportRun:
    """The import: from the checkpoint on, plan each batch and write it in its own transaction
    together with the new checkpoint."""
    run.refresh_from_db()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING, error="")
    handler = handler_for(run, actor=run.owner, dry_run=False)
    result = dict(run.result or {})
    counts: Counter[str] = Counter(result.get("counts", {}))
    done = int(result.get("rows_done", 0))
    errors: list[dict[str, Any]] = list(result.get("errors", []))
    error_count = int(result.get("error_count", 0))
    start = run.rows_committed
    progress.set_total(run.total_rows)
    progress.restore(done, job_counts(dict(counts)), errors, error_count)
    summary = Summary(run.kind, progress)
    try:
        with _bulk_run():
            rows = (r for r in _rows(run) if r[0] > start)
            for read, last_row in _read_batches(handler, rows):
                planned = handler.plan(read)
                summary.errors, summary.error_count = [], 0
                batch_counts = summary.add(planned, handler.extra_counts(planned))
                # one batch of signals too: receivers (webhooks) look up what they need once
                with transaction.atomic(), signals.batch():
                    handler.apply(planned)
                    counts.update(batch_counts)
                    done += len(planned)
                    error_count += summary.error_count
                    errors.extend(summary.errors[: max(0, KEEP_ERRORS - len(errors))])
                    result = {
                        "counts": dict(counts),
                        "rows_done": done,
                        "errors": errors,
                        "error_count": error_count,
                    }
                    ImportRun.objects.filter(pk=run.pk).update(
                        rows_committed=last_row, result=result, updated_at=timezone.now()
                    )
                    progress.save_checkpoint(
                        {"row": last_row, "rows_done": done, "counts": dict(counts)}
                    )
                summary.report_batch_errors()
                progress.advance(len(planned), **job_counts(dict(batch_counts)))
    except readers.FileRejected as exc:
        _fail(run, exc.message)
        raise
    finally:
        handler.close()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.DONE, finished_at=timezone.now(), updated_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def mark_failed(run: ImportRun, message: str) -> None:
    """After an unexpected error: the committed batches stay, the import can be retried."""
    _fail(run, message)
