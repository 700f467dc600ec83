"""List exports (CSV, XLSX): start one in the background, write its file with progress.

A list export is small enough to answer the request directly up to `direct_export_limit()` rows
(`ACCORD_EXPORT_DIRECT_MAX_ROWS`, default 5,000); beyond that it runs as a job `exports.list`, whose
file only the user who started it may download.
"""

from __future__ import annotations

import tempfile
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accord.core.jobs import JobContext, start_job
from accord.core.models import Job

from .. import writers

LIST_EXPORT_JOB = "exports.list"
FORMATS = ("csv", "xlsx")
DEFAULT_DIRECT_MAX_ROWS = 5000


def direct_export_limit() -> int:
    """Up to this many rows an export is the response itself; more run as a job."""
    return int(getattr(settings, "ACCORD_EXPORT_DIRECT_MAX_ROWS", DEFAULT_DIRECT_MAX_ROWS))


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError(
            _("Unknown export format “%(fmt)s”; choose csv or xlsx.") % {"fmt": fmt},
            code="format",
        )


def export_filename(name: str, fmt: str) -> str:
    """ "people-2025-03-01.csv": the list's name and today's date."""
    base = slugify(str(name)) or "export"
    return f"{base}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def start_list_export(
    *, user: Any, list_name: str, query: str, fmt: str, label: str, filename: str = ""
) -> Job:
    """Start a background export of the list `list_name` with the query string `query`."""
    _check_format(fmt)
    params = {
        "list": list_name,
        "query": query,
        "format": fmt,
        "filename": filename or export_filename("export", fmt),
    }
    return start_job(user, LIST_EXPORT_JOB, params=params, label=label)


@contextmanager
def user_time_zone(user: Any) -> Iterator[None]:
    """Times in the user's own zone, as their pages show them (a job has no middleware)."""
    name = getattr(user, "time_zone", "") or ""
    try:
        zone = zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    if zone is None:
        yield
        return
    with timezone.override(zone):
        yield


def write_list_file(
    ctx: JobContext,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int,
    fmt: str,
    filename: str,
) -> int:
    """Write the rows to a temporary file, reporting progress, and attach it to the job."""
    _check_format(fmt)
    ctx.set_total(total)
    ctx.job.done = 0
    reported = 0

    def progress(done: int) -> None:
        nonlocal reported
        if done > reported:
            ctx.advance(done - reported)
            reported = done

    with tempfile.TemporaryFile() as tmp:
        if fmt == "csv":
            writers.write_csv(headers, rows, tmp, progress=progress)
            written = reported
        else:
            written = writers.write_xlsx(
                headers, rows, tmp, title=filename.rsplit(".", 1)[0], progress=progress
            )
            if written >= writers.EXCEL_MAX_ROWS - 1 and total > written:
                ctx.error(
                    where=filename,
                    message=_(
                        "A worksheet holds at most %(max)d rows; the first %(max)d were written. "
                        "Export as CSV for all rows."
                    )
                    % {"max": written},
                )
        tmp.seek(0)
        ctx.attach_file(filename, File(tmp, name=filename), writers.CONTENT_TYPES[fmt])
    ctx.set_done(written)
    return written
