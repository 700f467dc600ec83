"""Mail uploads: an .eml, an mbox or a ZIP (Maildir or .eml files) captured by the job
`mail.import_file`, resumable and idempotent.

The upload is stored first (default storage, under `mail/uploads/`), then the job is started in the
same transaction. The job reads the file as a stream from its checkpoint (mbox byte offset and
message number), captures messages in batches of `IMPORT_BATCH`, and saves the checkpoint after
each committed batch. A retry after a crash starts at the last checkpoint; whatever a half-finished
batch had written is found again by Message-ID and not written twice. The stored upload is removed
when the job succeeds.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.core.jobs import JobContext, JobFailed, start_job
from accord.core.models import Job

from ..parsing import (
    KIND_MBOX,
    KIND_ZIP,
    MessageError,
    RawMessage,
    count_mbox,
    is_mail_entry,
    iter_messages,
    parse_message,
    sniff_kind,
)
from .capture import CaptureItem, MailCapture

logger = logging.getLogger(__name__)

IMPORT_KIND = "mail.import_file"
IMPORT_BATCH = 500
UPLOAD_DIR = "mail/uploads"
_UNSAFE = re.compile(r"[^\w.\- ]+")


def _max_upload() -> int:
    return int(getattr(settings, "ACCORD_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


def _safe_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")) or "upload"
    return _UNSAFE.sub("_", base)[:100] or "upload"


def mail_import_start(*, actor: Any, upload: Any) -> Job:
    """Store an uploaded mail file and start the job that captures it for the actor."""
    if not visibility.may_write(actor):
        raise PermissionDenied(_("Your role may only read."))
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    size = getattr(upload, "size", None)
    if size is not None and size > _max_upload():
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s MB.")
                % {"limit": _max_upload() // 1048576}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    filename = getattr(upload, "name", "") or "upload"
    kind = sniff_kind(head, filename)
    name = f"{UPLOAD_DIR}/{uuid.uuid4().hex}/{_safe_name(filename)}"
    stored = default_storage.save(name, upload)
    try:
        with transaction.atomic():
            return start_job(
                actor,
                IMPORT_KIND,
                params={"path": stored, "filename": filename[:255], "kind": kind},
                label=_("Mail import: %(name)s") % {"name": filename[:200]},
            )
    except Exception:
        default_storage.delete(stored)  # the storage is no transaction: leave nothing behind
        raise


def _count(stream: IO[bytes], kind: str) -> int | None:
    """How many messages the file holds (a quick pass over the bytes), for the progress bar."""
    if kind == KIND_MBOX:
        return count_mbox(stream)
    if kind == KIND_ZIP:
        try:
            with zipfile.ZipFile(stream) as archive:
                return sum(
                    1 for i in archive.infolist() if not i.is_dir() and is_mail_entry(i.filename)
                )
        except (zipfile.BadZipFile, OSError):
            return None  # the reader says what is wrong with it
        finally:
            stream.seek(0)
    return 1


def _open(path: str) -> Any:
    if not default_storage.exists(path):
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    return default_storage.open(path, "rb")


def mail_import_run(ctx: JobContext) -> None:
    """The job `mail.import_file` (see the module doc)."""
    params = ctx.job.params
    owner = ctx.job.started_by
    if owner is None or not owner.is_active:
        raise JobFailed(_("The user who started this import is no longer active."))
    kind = params.get("kind", "")
    filename = params.get("filename", "")
    capture = MailCapture(owner=owner)
    now = timezone.now()
    with _open(params["path"]) as handle:
        stream = getattr(handle, "file", handle)
        if ctx.job.total is None:
            total = _count(stream, kind)
            if total is not None:
                ctx.set_total(total)
        batch: list[CaptureItem] = []
        errors: list[tuple[str, str]] = []
        consumed = 0
        last: RawMessage | None = None
        try:
            for raw in iter_messages(
                stream, kind=kind, filename=filename, checkpoint=ctx.checkpoint
            ):
                consumed += 1
                last = raw
                _take(raw, batch, errors, now)
                if len(batch) >= IMPORT_BATCH or consumed >= IMPORT_BATCH:
                    _flush(ctx, capture, batch, errors, consumed, last)
                    batch, errors, consumed = [], [], 0
        except MessageError as exc:  # the container itself is unreadable
            if last is None and not ctx.job.done:
                raise JobFailed(
                    _("%(file)s: %(reason)s") % {"file": filename, "reason": exc}
                ) from exc
            errors.append((filename, str(exc)))
        if last is not None or errors:
            _flush(ctx, capture, batch, errors, consumed, last)
    if not ctx.job.done and not ctx.job.error_count:
        raise JobFailed(_("%(file)s holds no mail messages.") % {"file": filename})
    default_storage.delete(params["path"])


def _take(
    raw: RawMessage, batch: list[CaptureItem], errors: list[tuple[str, str]], now: Any
) -> None:
    if raw.error:
        errors.append((raw.where, raw.error))
        return
    try:
        message = parse_message(raw.raw, fallback_date=raw.fallback_date, now=now)
    except MessageError as exc:
        errors.append((raw.where, str(exc)))
        return
    where = f"{raw.where} <{message.message_id}>"
    errors.extend((where, warning) for warning in message.warnings)
    batch.append(CaptureItem(where=where, message=message))


def _flush(
    ctx: JobContext,
    capture: MailCapture,
    batch: list[CaptureItem],
    errors: list[tuple[str, str]],
    consumed: int,
    last: RawMessage | None,
) -> None:
    outcome = capture.write(batch)
    for where, message in [*errors, *outcome.errors]:
        ctx.error(where=where, message=message)
    failed = consumed - outcome.created - outcome.duplicates
    ctx.advance(consumed, created=outcome.created, duplicates=outcome.duplicates, failed=failed)
    if last is not None:
        ctx.save_checkpoint({"index": last.index, "offset": last.resume})
    else:
        ctx.flush()
