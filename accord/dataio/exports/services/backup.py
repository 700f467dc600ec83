"""`accord backup` / `accord restore`: the whole instance as one ZIP archive, and back.

The archive holds

* `manifest.json` — format and version, when and by which versions (Accord, Django, Python,
  database) it was made, the applied migrations of every app, the content types and permissions
  the data refers to, and per model its file and row count;
* `data/NNNN-<app>.<model>.jsonl` — every row of every model (Django's JSON-lines serializer,
  written row by row, primary keys kept), in dependency order;
* `media/<name>` — the stored files (uploads, attachments, export results).

Content types and permissions are not restored as rows: `migrate` creates them, possibly with other
ids, so references to them are translated through the manifest.

A restore goes into an empty database (refused otherwise, unless `force`, which empties it first),
checks the manifest against this installation's migrations, and loads everything in one transaction
— a corrupt or foreign archive leaves the database as it was. Like `loaddata`, it writes rows as
they were (denormalised fields included) rather than through the domain services: it restores a
state, it does not make changes. PostgreSQL sequences are moved past the restored ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import django
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, SuspiciousFileOperation, ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_NAME = "accord-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
MEDIA_DIR = "media/"
CHUNK_SIZE = 2000
LOAD_BATCH = 1000
# Rows `migrate` makes (translated by the manifest) and sessions (a restored database must not
# keep anyone signed in as whoever had that user id before).
NOT_BACKED_UP = {"contenttypes.contenttype", "auth.permission", "sessions.session"}

Log = Callable[[str], None]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's rounds to milliseconds,
    which would change every timestamp on the way through a backup)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person running it."""


@dataclass
class RestoreResult:
    counts: dict[str, int] = field(default_factory=dict)
    media: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)


# --- which models -------------------------------------------------------------------------------
def _existing_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def backup_models() -> list[type[models.Model]]:
    """Every concrete model with a table, parents before the models that refer to them."""
    tables = _existing_tables()
    candidates = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
        and model._meta.db_table in tables
    ]
    app_list: dict[Any, list[type[models.Model]]] = {}
    for model in candidates:
        app_list.setdefault(model._meta.app_config, []).append(model)
    ordered = serializers.sort_dependencies(list(app_list.items()), allow_cycles=True)
    return [m for m in ordered if m in candidates]


def _auto_through(f: Any) -> Any:
    """The table model behind a many-to-many field when Django made it (else None)."""
    through = f.remote_field.through
    return through if through is not None and through._meta.auto_created else None


def _m2m_tables(model: type[models.Model]) -> list[str]:
    return [
        _auto_through(f)._meta.db_table
        for f in model._meta.local_many_to_many
        if _auto_through(f) is not None
    ]


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


# --- backup -------------------------------------------------------------------------------------
def _media_names(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from _media_names(storage, f"{directory}/{sub}" if directory else sub)


def _counted(iterator: Iterator[Any], tally: list[int]) -> Iterator[Any]:
    for item in iterator:
        tally[0] += 1
        yield item


def _dump_model(archive: zipfile.ZipFile, model: type[models.Model], path: str) -> int:
    queryset = model._base_manager.order_by("pk")
    m2m = [
        f.name
        for f in model._meta.local_many_to_many
        if _auto_through(f) is not None and getattr(f, "serialize", True)
    ]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    tally = [0]
    with archive.open(path, "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        serializers.serialize(
            "jsonl",
            _counted(queryset.iterator(chunk_size=CHUNK_SIZE), tally),
            stream=text,
            cls=ExactJSONEncoder,
        )
        text.flush()
        text.detach()
    return tally[0]


def create_backup(
    target: str | os.PathLike[str], *, media: bool = True, log: Log | None = None
) -> dict[str, Any]:
    """Write the archive to `target` (through a temporary file beside it, renamed when complete)
    and return its manifest. The rows are read in one transaction: a consistent snapshot
    (on SQLite, writers wait until the backup has finished)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    say = log or (lambda message: None)
    manifest: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "versions": {
            "accord": _version("accord"),
            "django": django.get_version(),
            "python": platform.python_version(),
            "database": connection.vendor,
        },
        "models": [],
        "media": [],
    }
    handle, partial = tempfile.mkstemp(prefix=".accord-backup-", suffix=".zip", dir=target.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if connection.vendor == "postgresql" and outermost:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                manifest["migrations"] = _applied_migrations()
                manifest["content_types"] = {
                    str(ct.pk): [ct.app_label, ct.model] for ct in ContentType.objects.all()
                }
                manifest["permissions"] = {
                    str(p.pk): [p.content_type.app_label, p.content_type.model, p.codename]
                    for p in Permission.objects.select_related("content_type")
                }
                for index, model in enumerate(backup_models(), start=1):
                    label = model._meta.label_lower
                    path = f"{DATA_DIR}{index:04d}-{label}.jsonl"
                    count = _dump_model(archive, model, path)
                    manifest["models"].append({"model": label, "file": path, "count": count})
                    say(f"{label}: {count}")
            if media:
                for name in _media_names(default_storage):
                    digest = hashlib.sha256()
                    size = 0
                    with (
                        default_storage.open(name, "rb") as source,
                        archive.open(MEDIA_DIR + name, "w", force_zip64=True) as sink,
                    ):
                        while chunk := source.read(1024 * 1024):
                            digest.update(chunk)
                            sink.write(chunk)
                            size += len(chunk)
                    manifest["media"].append(
                        {"name": name, "size": size, "sha256": digest.hexdigest()}
                    )
                say(f"media files: {len(manifest['media'])}")
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest


# --- restore ------------------------------------------------------------------------------------
def read_manifest(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    """The archive's manifest, checked for format and version; BackupError for anything else."""
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise BackupError(f"{name} is not an Accord backup: it has no {MANIFEST}.") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{name} is damaged: its manifest cannot be read ({exc}).") from None
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{name} is damaged: its manifest is not valid JSON ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BackupError(f"{name} is not an Accord backup (its manifest names another format).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{name} was written in backup format {version!r}; this Accord reads format "
            f"{FORMAT_VERSION} and older. Restore it with the Accord version that made it."
        )
    for key in ("models", "migrations", "content_types", "permissions"):
        if key not in manifest:
            raise BackupError(f"{name} is damaged: its manifest lacks “{key}”.")
    return manifest


def check_migrations(manifest: dict[str, Any]) -> None:
    """The archive's schema must be this database's: the same migrations applied."""
    here = _applied_migrations()
    there = {app: sorted(names) for app, names in manifest["migrations"].items()}
    missing_here = sorted(
        f"{app}.{name}"
        for app, names in there.items()
        for name in set(names) - set(here.get(app, []))
    )
    newer_here = sorted(
        f"{app}.{name}"
        for app, names in here.items()
        if app in there
        for name in set(names) - set(there.get(app, []))
    )
    if missing_here:
        raise BackupError(
            "The backup was made by a newer Accord: these migrations are not applied here: "
            + ", ".join(missing_here[:10])
            + ". Upgrade Accord and run `accord migrate`, then restore."
        )
    if newer_here:
        raise BackupError(
            "The backup was made by an older Accord: this database has migrations the backup "
            "lacks: "
            + ", ".join(newer_here[:10])
            + ". Restore it with the version that made it, then upgrade; or pass "
            "--ignore-migrations to load it as it is."
        )


def database_is_empty() -> bool:
    """No row in any model besides what `migrate` makes (content types, permissions)."""
    return not any(model._base_manager.exists() for model in backup_models())


def flush_data() -> None:
    """Empty every table a backup holds (and sessions), keeping content types and permissions."""
    tables: list[str] = []
    for model in [*backup_models(), *_session_models()]:
        tables += [model._meta.db_table, *_m2m_tables(model)]
    existing = _existing_tables()
    tables = sorted({t for t in tables if t in existing})
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction:
        # run them now (SET CONSTRAINTS ALL IMMEDIATE, then back to DEFERRED).
        connection.check_constraints()
    connection.ops.execute_sql_flush(statements)


def _session_models() -> list[type[models.Model]]:
    try:
        return [apps.get_model("sessions", "Session")]
    except LookupError:
        return []


class _Translate:
    """Content type and permission ids of the archive → ids of this database."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self.content_types: dict[int, int] = {}
        for old, (app_label, model) in manifest["content_types"].items():
            ct, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
            self.content_types[int(old)] = ct.pk
        self.permissions: dict[int, int] = {}
        current = {
            (p.content_type.app_label, p.content_type.model, p.codename): p.pk
            for p in Permission.objects.select_related("content_type")
        }
        for old, key in manifest["permissions"].items():
            if tuple(key) in current:
                self.permissions[int(old)] = current[tuple(key)]
        self._plans: dict[type[models.Model], tuple[list[str], list[str], list[str]]] = {}

    def _plan(self, model: type[models.Model]) -> tuple[list[str], list[str], list[str]]:
        if model not in self._plans:
            ct_fields, perm_fields, perm_m2m = [], [], []
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is ContentType:
                    ct_fields.append(f.attname)
                elif f.is_relation and f.related_model is Permission:
                    perm_fields.append(f.attname)
            for f in model._meta.many_to_many:
                if f.related_model is Permission:
                    perm_m2m.append(f.name)
            self._plans[model] = (ct_fields, perm_fields, perm_m2m)
        return self._plans[model]

    def apply(self, deserialized: Any) -> None:
        obj = deserialized.object
        ct_fields, perm_fields, perm_m2m = self._plan(type(obj))
        for attname in ct_fields:
            value = getattr(obj, attname)
            if value is not None:
                setattr(obj, attname, self.content_types.get(int(value), value))
        for attname in perm_fields:
            value = getattr(obj, attname)
            if value is not None:
                setattr(obj, attname, self.permissions.get(int(value), value))
        for name in perm_m2m:
            if deserialized.m2m_data and name in deserialized.m2m_data:
                deserialized.m2m_data[name] = [
                    self.permissions[int(pk)]
                    for pk in deserialized.m2m_data[name]
                    if int(pk) in self.permissions
                ]


def _read_batches(
    archive: zipfile.ZipFile, path: str, archive_name: str
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Lines of a data file parsed as JSON, in batches, with the first line number of each."""
    try:
        raw = archive.open(path)
    except KeyError:
        raise BackupError(f"{archive_name} is damaged: {path} is missing.") from None
    with raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        batch: list[dict[str, Any]] = []
        first = 1
        line_no = 0
        try:
            for line_no, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    batch.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise BackupError(
                        f"{archive_name} is damaged: {path}, line {line_no} is not JSON ({exc})."
                    ) from None
                if len(batch) >= LOAD_BATCH:
                    yield first, batch
                    batch, first = [], line_no + 1
        except (zipfile.BadZipFile, UnicodeDecodeError, OSError, EOFError) as exc:
            raise BackupError(
                f"{archive_name} is damaged: {path} cannot be read after line {line_no} ({exc})."
            ) from None
        if batch:
            yield first, batch


def _insert(model: type[models.Model], objects: list[Any]) -> None:
    """Insert deserialized rows as they are (no signals, no history), then their many-to-many
    links; a model with parent tables goes through `save()` as `loaddata` does."""
    if model._meta.parents:
        for deserialized in objects:
            deserialized.save()
        return
    rows = [d.object for d in objects]
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    for start in range(0, len(rows), size):
        # raw: values as stored (no auto_now stamping), as `save_base(raw=True)` does
        manager: Any = model._base_manager
        manager._insert(rows[start : start + size], fields=fields, raw=True)
    for f in model._meta.many_to_many:
        through = _auto_through(f)
        if through is None:
            continue  # an explicit through model is a model of its own, backed up itself
        source = f.m2m_field_name()
        target = f.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": d.object.pk, f"{target}_id": pk})
            for d in objects
            for pk in (d.m2m_data or {}).get(f.name, [])
        ]
        if links:
            through._base_manager.bulk_create(links, batch_size=LOAD_BATCH)


def _load_model(
    archive: zipfile.ZipFile,
    entry: dict[str, Any],
    translate: _Translate,
    archive_name: str,
) -> int:
    label, path = entry.get("model", ""), entry.get("file", "")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise BackupError(
            f"{archive_name} holds rows of {label!r}, a model this Accord does not have."
        ) from None
    loaded = 0
    for first, batch in _read_batches(archive, path, archive_name):
        try:
            objects = list(serializers.deserialize("python", batch, ignorenonexistent=True))
        except (DeserializationError, ValidationError, ObjectDoesNotExist) as exc:
            raise BackupError(
                f"{archive_name} is damaged: {path}, lines from {first}: {exc}"
            ) from None
        for deserialized in objects:
            if type(deserialized.object) is not model:
                raise BackupError(
                    f"{archive_name} is damaged: {path} holds rows of another model "
                    f"({deserialized.object._meta.label_lower})."
                )
            translate.apply(deserialized)
        try:
            _insert(model, objects)
        except (DatabaseError, ValueError) as exc:
            raise BackupError(
                f"{archive_name}: the rows of {path} from line {first} cannot be stored ({exc})."
            ) from None
        loaded += len(objects)
    if loaded != entry.get("count"):
        raise BackupError(
            f"{archive_name} is damaged: {path} holds {loaded} rows, its manifest says "
            f"{entry.get('count')}."
        )
    return loaded


def _restore_media(
    archive: zipfile.ZipFile, manifest: dict[str, Any], storage: Storage, archive_name: str
) -> int:
    restored = 0
    for item in manifest.get("media", []):
        name = str(item.get("name", ""))
        if not name or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(
                f"{archive_name} names a media file outside the media folder: {name!r}"
            )
        try:
            with archive.open(MEDIA_DIR + name) as source:
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, File(source, name=name))
        except KeyError:
            raise BackupError(f"{archive_name} is damaged: media file {name} is missing.") from None
        except (zipfile.BadZipFile, OSError, SuspiciousFileOperation) as exc:
            raise BackupError(
                f"{archive_name}: media file {name} cannot be restored ({exc})."
            ) from None
        if saved != name:
            raise BackupError(f"{archive_name}: media file {name} was stored as {saved}.")
        restored += 1
    return restored


def _reset_sequences(loaded: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore_backup(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    force: bool = False,
    ignore_migrations: bool = False,
    media: bool = True,
    log: Log | None = None,
) -> RestoreResult:
    """Load an archive made by `create_backup` into this database (see the module docstring)."""
    say = log or (lambda message: None)
    archive_name = str(getattr(source, "name", source))
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise BackupError(f"{archive_name} does not exist.") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(
            f"{archive_name} is not an Accord backup (not a ZIP archive: {exc})."
        ) from None
    result = RestoreResult()
    with archive:
        manifest = read_manifest(archive, archive_name)
        result.manifest = manifest
        if not ignore_migrations:
            check_migrations(manifest)
        try:
            with transaction.atomic():
                if not database_is_empty():
                    if not force:
                        raise BackupError(
                            "The database is not empty. Restore into a new, migrated database, "
                            "or pass --force to delete everything in this one first."
                        )
                    say("emptying the database")
                    flush_data()
                elif force:
                    flush_data()  # sessions and leftovers
                translate = _Translate(manifest)
                loaded_models = []
                for entry in manifest["models"]:
                    count = _load_model(archive, entry, translate, archive_name)
                    result.counts[entry["model"]] = count
                    loaded_models.append(apps.get_model(entry["model"]))
                    say(f"{entry['model']}: {count}")
                try:
                    connection.check_constraints()
                except IntegrityError as exc:
                    raise BackupError(
                        f"{archive_name} is inconsistent: a row refers to one that is missing ({exc})."
                    ) from None
                _reset_sequences(loaded_models)
                if media:
                    result.media = _restore_media(archive, manifest, default_storage, archive_name)
                    say(f"media files: {result.media}")
        except BackupError:
            raise
        except IntegrityError as exc:
            raise BackupError(f"{archive_name} cannot be restored: {exc}") from None
    ContentType.objects.clear_cache()
    return result
