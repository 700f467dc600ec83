"""The full export: every record a user may see, as one JSON document in a ZIP file.

The document is written record by record (never held in memory whole):

    {"format": "accord-export", "version": 1, "exported_at": "…", "user": {…},
     "tags": […], "organizations": […], "people": […], "relationships": […],
     "interactions": […], "follow_ups": […], "counts": {"organizations": 120, …}}

People carry their addresses, numbers and positions; interactions their participants (our users,
their people and organizations). Each kind is read through the visibility rule.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, Any

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core.jobs import JobContext, JobFailed, start_job
from accord.core.models import Job

from .. import selectors
from .lists import user_time_zone

FULL_EXPORT_JOB = "exports.full_json"
FORMAT_NAME = "accord-export"
FORMAT_VERSION = 1
JSON_NAME = "accord-export.json"
ZIP_CONTENT_TYPE = "application/zip"


def start_full_export(*, user: Any) -> Job:
    """Start the background export of everything `user` may see."""
    return start_job(user, FULL_EXPORT_JOB, label=_("All my data (JSON)"))


def full_export_filename() -> str:
    return f"accord-export-{timezone.localdate():%Y-%m-%d}.json.zip"


def write_full_export(
    user: Any,
    out: IO[bytes],
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the ZIP (one JSON file) to `out`; returns how many records of each kind it holds."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    written: dict[str, int] = {}
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(JSON_NAME, "w", force_zip64=True) as raw,
    ):
        text = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
        head = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "user": {"id": user.pk, "email": user.email, "name": str(user)},
        }
        text.write(encoder.encode(head)[:-1])  # leave the object open
        for section in selectors.SECTIONS:
            text.write(f',"{section}":[')
            n = 0
            for record in selectors.full_export_records(user, section):
                if n:
                    text.write(",")
                text.write(encoder.encode(record))
                n += 1
                if progress is not None:
                    progress(1)
            text.write("]")
            written[section] = n
        text.write(f',"counts":{encoder.encode(written)}}}')
        text.flush()
        text.detach()
    return written


def run_full_export(ctx: JobContext) -> dict[str, int]:
    """The job `exports.full_json`: write the file and attach it to the job."""
    user = ctx.job.started_by
    if user is None or not user.is_active:
        raise JobFailed(_("The user who asked for this export no longer exists or is inactive."))
    with user_time_zone(user):
        counts = selectors.full_export_counts(user)
        ctx.set_total(sum(counts.values()))
        ctx.job.done = 0
        with tempfile.TemporaryFile() as tmp:
            written = write_full_export(user, tmp, progress=ctx.advance)
            tmp.seek(0)
            name = full_export_filename()
            ctx.attach_file(name, File(tmp, name=name), ZIP_CONTENT_TYPE)
    ctx.set_done(sum(written.values()))
    return written
