"""An import's steps as a user takes them: upload, map the columns, dry run, decide on similar
names, confirm; saved mappings. Pages, API and `accord import` call these."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.core.jobs import start_job

from .. import columns, readers
from ..choices import DuplicateMode, FuzzyDefault, ImportKind, ImportStatus, RowAction
from ..models import ImportRun, SavedMapping

CHECK_JOB = "imports.check"
RUN_JOB = "imports.run"
ALLOWED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def _require_writer(actor: Any) -> None:
    if not visibility.may_write(actor):
        raise PermissionDenied(_("Your role may only read; importing changes records."))


def _require_owner(actor: Any, run: ImportRun) -> None:
    if run.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is another user's import."))
    _require_writer(actor)


def opener(run: ImportRun):
    """A function giving a fresh binary stream of the stored file on each call."""
    import io

    storage, name = run.file.storage, run.file.name

    def open_file():
        handle = storage.open(name, "rb")
        inner = getattr(handle, "file", handle)
        if isinstance(inner, io.BytesIO):  # in-memory storage shares one stream: copy it
            return io.BytesIO(inner.getvalue())
        return inner

    return open_file


def table_info(run: ImportRun) -> readers.TableInfo:
    return readers.TableInfo(
        format=run.file_format,
        headers=list(run.headers),
        encoding=run.encoding,
        delimiter=run.delimiter,
        sheet=run.sheet,
    )


def import_create(
    *,
    actor: Any,
    file: File,
    kind: str,
    on_duplicate: str = DuplicateMode.UPDATE,
    saved_mapping: SavedMapping | None = None,
    filename: str = "",
) -> ImportRun:
    """Store the upload, check the whole file (encoding, binary content, line length, ZIP bomb,
    XML entities) and read its header; the columns are guessed from their names or taken from a
    saved mapping. A file that fails the check is refused and not kept."""
    _require_writer(actor)
    name = os.path.basename(filename or file.name or "import.csv")[:200]
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    if on_duplicate not in DuplicateMode.values:
        raise ValidationError({"on_duplicate": _("Choose what happens to matched records.")})
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(
            {"file": _("“%(file)s”: upload a CSV or XLSX file.") % {"file": name}}
        )
    size = file.size or 0
    if size > settings.ACCORD_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("“%(file)s” is larger than %(max)s MB.")
                % {"file": name, "max": settings.ACCORD_MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    if saved_mapping is not None and saved_mapping.owner_id != actor.pk:
        raise PermissionDenied(_("This is another user's mapping."))
    run = ImportRun(
        owner=actor, kind=kind, filename=name, file_size=size, on_duplicate=on_duplicate
    )
    run.file.save(name, file, save=False)
    try:
        info = readers.inspect_table(opener(run), name)
    except readers.FileRejected as exc:
        run.file.delete(save=False)
        raise ValidationError({"file": exc.message}) from exc
    run.file_format, run.encoding, run.delimiter = info.format, info.encoding, info.delimiter
    run.sheet, run.headers, run.sample = info.sheet, info.headers, info.sample
    run.total_rows = info.total_hint
    if saved_mapping is not None and saved_mapping.kind == kind:
        run.mapping = columns.mapping_from_saved(kind, info.headers, saved_mapping.columns)
        run.on_duplicate = saved_mapping.on_duplicate
    else:
        run.mapping = columns.guess_mapping(kind, info.headers)
    run.full_clean(exclude=["file"])
    run.save()
    return run


def import_set_mapping(
    *,
    actor: Any,
    run: ImportRun,
    mapping: Mapping[str, str],
    on_duplicate: str | None = None,
    fuzzy_default: str | None = None,
    save_as: str = "",
) -> ImportRun:
    """Set which column goes into which field (column number → field key, "" to ignore) and
    what happens to matched records; optionally save the mapping by name for later files."""
    _require_owner(actor, run)
    if run.is_running or run.status == ImportStatus.DONE or run.rows_committed:
        raise ValidationError(
            _("The columns of an import that has run (or written rows) cannot change.")
        )
    keys = columns.field_keys(run.kind)
    clean: dict[str, str] = {}
    errors: list[str] = []
    seen: dict[str, str] = {}
    for index, key in mapping.items():
        index = str(index)
        if not key:
            continue
        if not index.isdigit() or int(index) >= len(run.headers):
            errors.append(_("There is no column %(n)s.") % {"n": index})
            continue
        if key not in keys:
            errors.append(_("“%(field)s” is not a field of this import.") % {"field": key})
            continue
        if key in seen:
            errors.append(
                _("“%(a)s” and “%(b)s” both go into the same field; choose one.")
                % {"a": run.headers[int(seen[key])], "b": run.headers[int(index)]}
            )
            continue
        seen[key] = index
        clean[index] = key
    missing = columns.missing_required(run.kind, clean)
    if missing:
        errors.append(
            _("Choose a column for: %(fields)s.")
            % {"fields": ", ".join(str(f.label) for f in missing)}
        )
    if on_duplicate is not None and on_duplicate not in DuplicateMode.values:
        errors.append(_("Choose what happens to matched records."))
    if fuzzy_default is not None and fuzzy_default not in FuzzyDefault.values:
        errors.append(_("Choose what happens to similar names."))
    if errors:
        raise ValidationError({"mapping": errors})
    with transaction.atomic():
        run.mapping = clean
        if on_duplicate:
            run.on_duplicate = on_duplicate
        if fuzzy_default:
            run.fuzzy_default = fuzzy_default
        run.status = ImportStatus.MAPPING
        run.report = {}
        run.save()
        if save_as.strip():
            saved_mapping_save(
                actor=actor,
                name=save_as,
                kind=run.kind,
                columns=columns.mapping_to_saved(run.headers, clean),
                on_duplicate=run.on_duplicate,
            )
    return run


def import_start_check(*, actor: Any, run: ImportRun):
    """Start the dry run (a background job): every row read, validated and matched, nothing
    written."""
    _require_owner(actor, run)
    if run.is_running or run.status == ImportStatus.DONE:
        raise ValidationError(_("This import is running or finished already."))
    missing = columns.missing_required(run.kind, run.mapping)
    if missing:
        raise ValidationError(
            {
                "mapping": _("Choose a column for: %(fields)s.")
                % {"fields": ", ".join(str(f.label) for f in missing)}
            }
        )
    with transaction.atomic():
        job = start_job(
            actor,
            CHECK_JOB,
            params={"import": run.pk},
            label=_("Dry run of “%(file)s”") % {"file": run.filename},
        )
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.CHECKING,
            check_job=job,
            report={},
            error="",
            updated_at=timezone.now(),
        )
    run.refresh_from_db()
    return job


def import_set_decisions(*, actor: Any, run: ImportRun, decisions: Mapping[Any, str]) -> ImportRun:
    """Record "same" or "new" for rows whose names resemble existing records (from the dry run);
    the dry run's counts follow (such a row is a create when new, else what matched rows get)."""
    _require_owner(actor, run)
    if run.status != ImportStatus.CHECKED:
        raise ValidationError(_("Decide after the dry run and before the import."))
    listed = {str(s["row"]): s for s in run.report.get("similar", [])}
    stored = dict(run.fuzzy_decisions or {})
    counts = dict(run.report.get("counts", {}))
    actions: dict[str, str] = {
        DuplicateMode.UPDATE: RowAction.UPDATE,
        DuplicateMode.SKIP: RowAction.SKIP,
        DuplicateMode.CREATE: RowAction.CREATE,
    }
    matched_action = actions[run.on_duplicate]
    for row, decision in decisions.items():
        row = str(row)
        if decision not in ("same", "new") or row not in listed:
            continue
        entry = listed[row]
        before = entry.get("decision")
        if before == decision:
            stored[row] = decision
            continue
        old_action = RowAction.CREATE if before == "new" else matched_action
        new_action = RowAction.CREATE if decision == "new" else matched_action
        counts[old_action] = max(0, counts.get(old_action, 0) - 1)
        counts[new_action] = counts.get(new_action, 0) + 1
        entry["decision"] = decision
        stored[row] = decision
    run.fuzzy_decisions = stored
    run.report = {**run.report, "counts": counts, "similar": list(listed.values())}
    run.save(update_fields=["fuzzy_decisions", "report", "updated_at"])
    return run


def import_start(*, actor: Any, run: ImportRun):
    """Confirm: start the import job, which writes the rows in committed batches."""
    _require_owner(actor, run)
    if run.status != ImportStatus.CHECKED:
        raise ValidationError(_("Run the dry run first; the import starts from its result."))
    with transaction.atomic():
        job = start_job(
            actor,
            RUN_JOB,
            params={"import": run.pk},
            label=_("Import of “%(file)s”") % {"file": run.filename},
        )
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.IMPORTING, import_job=job, updated_at=timezone.now()
        )
    run.refresh_from_db()
    return job


def import_delete(*, actor: Any, run: ImportRun) -> None:
    """Forget an import and its file (the records it created stay)."""
    _require_owner(actor, run)
    if run.is_running:
        raise ValidationError(_("A running import cannot be deleted."))
    with transaction.atomic():
        name = run.file.name
        storage = run.file.storage
        run.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def saved_mapping_save(
    *, actor: Any, name: str, kind: str, columns: Mapping[str, str], on_duplicate: str
) -> SavedMapping:
    """Save (or overwrite) a named mapping of the user's."""
    _require_writer(actor)
    name = " ".join(name.split())[:100]
    mapping, _created = SavedMapping.objects.get_or_create(
        owner=actor, name=name, defaults={"kind": kind}
    )
    mapping.kind, mapping.columns, mapping.on_duplicate = kind, dict(columns), on_duplicate
    mapping.full_clean()
    mapping.save()
    return mapping


def saved_mapping_delete(*, actor: Any, mapping: SavedMapping) -> None:
    if mapping.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is another user's mapping."))
    mapping.delete()
