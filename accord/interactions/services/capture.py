"""Bulk writes for captured interactions (mail, calendar): many at once, in one transaction, with
every denormalised field kept as `services` keeps it for one.

A capture resolves who and what a message is about and hands `InteractionDraft`s here; this module
writes threads, interactions ("created" history rows included), their links to people and
organizations (with the copied time), our participants, the header addresses and attachments
(stored once per content), then sets `last_interaction_at` of every party touched. The search index
follows by its database triggers. Callers check visibility and duplicates before; a duplicate that
slips in between (another worker) makes the unique constraint on `source_id` fail the whole batch,
which the caller may retry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from accord.core import signals

from ..choices import Direction, InteractionKind, InteractionSource
from ..models import (
    Attachment,
    Interaction,
    InteractionAddress,
    InteractionOrganization,
    InteractionPerson,
    Thread,
    attachment_path,
)
from . import refresh_last_interaction


@dataclass(eq=False)
class ThreadDraft:
    """A thread to create with the batch (several drafts may share one)."""

    subject: str
    normalized_subject: str
    key: str
    started_at: dt.datetime
    pk: int | None = None


@dataclass
class AttachmentDraft:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""


@dataclass
class InteractionDraft:
    """One interaction to write, with its parties already resolved (ids the owner may see)."""

    owner_id: int
    occurred_at: dt.datetime
    subject: str
    body: str = ""
    body_html: str = ""
    kind: str = InteractionKind.EMAIL
    direction: str = Direction.INBOUND
    source: str = InteractionSource.MAIL
    source_id: str = ""
    team_id: int | None = None
    duration_minutes: int | None = None
    thread: ThreadDraft | int | None = None
    organization_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    # (role, address, display name) as the headers gave them
    addresses: list[tuple[str, str, str]] = field(default_factory=list)
    attachments: list[AttachmentDraft] = field(default_factory=list)


def existing_source_ids(source_ids: Iterable[str]) -> dict[str, int]:
    """Which of these source ids exist already (source id → interaction id), whoever owns them."""
    wanted = [s for s in set(source_ids) if s]
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(Interaction.objects.filter(source_id__in=chunk).values_list("source_id", "pk"))
    return found


def threads_of(source_ids: Iterable[str]) -> dict[str, int]:
    """The thread of each captured interaction with one of these source ids."""
    wanted = [s for s in set(source_ids) if s]
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            Interaction.objects.filter(source_id__in=chunk, thread__isnull=False).values_list(
                "source_id", "thread_id"
            )
        )
    return found


def threads_by_key(keys: Iterable[str], *, before: dt.datetime | None = None) -> dict[str, int]:
    """The newest thread per participants-and-subject key (the fallback for replies without
    In-Reply-To/References)."""
    wanted = [k for k in set(keys) if k]
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        qs = Thread.objects.filter(key__in=wanted[start : start + 500])
        if before is not None:
            qs = qs.filter(started_at__lte=before)
        for key, pk in qs.order_by("started_at", "pk").values_list("key", "pk"):
            found[key] = pk  # the newest wins
    return found


def _store_attachments(drafts: Sequence[AttachmentDraft]) -> dict[str, str]:
    """Write each distinct content once (named by its SHA-256); sha256 → stored name."""
    by_digest = {hashlib.sha256(d.data).hexdigest(): d for d in drafts}
    stored: dict[str, str] = {}
    digests = list(by_digest)
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        for digest, name in (
            Attachment.objects.filter(sha256__in=chunk)
            .order_by()
            .values_list("sha256", "file")
            .distinct()
        ):
            stored.setdefault(digest, name)
    for digest, draft in by_digest.items():
        if digest in stored:
            continue
        name = attachment_path(Attachment(sha256=digest), draft.filename)
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(draft.data))
        stored[digest] = name
    return stored


# --- raw inserts ------------------------------------------------------------------------------
# Django's bulk_create prepares every value through the field machinery and builds its SQL anew for
# each chunk; at a few thousand mails a second that is most of the time. These write the same rows
# with values converted once per field type, `executemany` for rows whose ids are not needed and a
# multi-row INSERT … RETURNING id (as bulk_create does, in row order) for those that are.
_SIMPLE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _converter(field: models.Field) -> Callable[[Any], Any]:
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: None if value is None else adapt(value)
    if kind in _SIMPLE:
        return _identity
    return lambda value: field.get_db_prep_save(value, connection)


def _identity(value: Any) -> Any:
    return value


def _max_params() -> int:
    if connection.vendor == "sqlite":
        try:
            connection.ensure_connection()
            return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        except (AttributeError, sqlite3.Error):
            return 999
    return 30_000


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def _rows(fields: list[models.Field], values: Iterable[Sequence[Any]]) -> list[tuple]:
    convert = [_converter(f) for f in fields]
    return [tuple(c(v) for c, v in zip(convert, row, strict=True)) for row in values]


def _insert(
    model: type[models.Model],
    names: Sequence[str],
    values: Iterable[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[int]:
    """Insert rows given as tuples in the order of `names`; the new ids when `returning`."""
    fields = _fields(model, names)
    rows = _rows(fields, values)
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        if not returning:
            sql = f"INSERT INTO {table} ({columns}) VALUES {marks}"  # noqa: S608 - from meta
            for start in range(0, len(rows), 2000):
                cursor.executemany(sql, rows[start : start + 2000])
            return ids
        pk = quote(str(model._meta.pk.column))  # type: ignore[union-attr]
        per = max(1, min(500, _max_params() // len(fields)))
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - from meta
                f"{', '.join([marks] * len(chunk))} RETURNING {pk}"
            )
            cursor.execute(sql, [v for row in chunk for v in row])
            ids += [row[0] for row in cursor.fetchall()]
    return ids


INTERACTION_FIELDS = (
    "created_at",
    "updated_at",
    "owner",
    "team",
    "kind",
    "direction",
    "occurred_at",
    "duration_minutes",
    "subject",
    "body",
    "body_html",
    "source",
    "source_id",
    "thread",
)


def _history_rows(interactions: list[Interaction]) -> None:
    """One "created" history row per interaction, dated and signed as simple_history would."""
    historical = Interaction.history.model  # type: ignore[attr-defined]
    tracked = [
        f.name for f in historical._meta.concrete_fields if not f.name.startswith("history_")
    ]
    names = [*tracked, "history_date", "history_change_reason", "history_type", "history_user"]
    _insert(
        historical,
        names,
        (
            [
                *(getattr(obj, _attname(Interaction, name)) for name in tracked),
                obj.created_at,
                None,
                "+",
                obj.owner_id,
            ]
            for obj in interactions
        ),
    )


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname  # type: ignore[union-attr]


def interactions_bulk_create(
    drafts: Sequence[InteractionDraft],
    *,
    history: bool = True,
    announce: bool = True,
    actor: Any = None,
) -> list[Interaction]:
    """Write the drafts (one transaction); returns the interactions in draft order. With
    `announce`, each new interaction is announced (`record_changed`, "created", by `actor`) when
    anyone listens."""
    if not drafts:
        return []
    all_attachments = [a for d in drafts for a in d.attachments]
    # Files first: a storage is no transaction; content-named files left by a rolled-back batch
    # are simply found and reused by its retry.
    stored = _store_attachments(all_attachments) if all_attachments else {}
    now = timezone.now()
    with transaction.atomic():
        new_threads = list(
            {id(d.thread): d.thread for d in drafts if isinstance(d.thread, ThreadDraft)}.values()
        )
        unsaved = [t for t in new_threads if t.pk is None]
        thread_ids = _insert(
            Thread,
            ("created_at", "updated_at", "subject", "normalized_subject", "key", "started_at"),
            (
                (now, now, t.subject[:300], t.normalized_subject[:300], t.key, t.started_at)
                for t in unsaved
            ),
            returning=True,
        )
        for draft_thread, pk in zip(unsaved, thread_ids, strict=True):
            draft_thread.pk = pk
        interactions = [
            Interaction(
                created_at=now,
                updated_at=now,
                kind=d.kind,
                direction=d.direction,
                occurred_at=d.occurred_at,
                duration_minutes=d.duration_minutes,
                subject=d.subject[:300],
                body=d.body,
                body_html=d.body_html,
                source=d.source,
                source_id=d.source_id,
                thread_id=d.thread.pk if isinstance(d.thread, ThreadDraft) else d.thread,
                owner_id=d.owner_id,
                team_id=d.team_id,
            )
            for d in drafts
        ]
        attnames = [_attname(Interaction, name) for name in INTERACTION_FIELDS]
        ids = _insert(
            Interaction,
            INTERACTION_FIELDS,
            ([getattr(obj, a) for a in attnames] for obj in interactions),
            returning=True,
        )
        for obj, pk in zip(interactions, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
        if history:
            _history_rows(interactions)
        org_links, person_links, user_links, addresses, files = [], [], [], [], []
        for obj, d in zip(interactions, drafts, strict=True):
            when = obj.occurred_at
            org_links += [(obj.pk, o, when) for o in dict.fromkeys(d.organization_ids)]
            person_links += [(obj.pk, p, when) for p in dict.fromkeys(d.person_ids)]
            user_links += [(obj.pk, u) for u in dict.fromkeys(d.user_ids)]
            addresses += [
                (obj.pk, role, address[:320], name[:200]) for role, address, name in d.addresses
            ]
            for a in d.attachments:
                digest = hashlib.sha256(a.data).hexdigest()
                files.append(
                    (
                        now,
                        now,
                        obj.pk,
                        a.filename[:255],
                        a.content_type[:255],
                        len(a.data),
                        stored[digest],
                        digest,
                        a.content_id[:255],
                    )
                )
        _insert(InteractionOrganization, ("interaction", "organization", "occurred_at"), org_links)
        _insert(InteractionPerson, ("interaction", "person", "occurred_at"), person_links)
        _insert(Interaction.users.through, ("interaction", "user"), user_links)
        _insert(InteractionAddress, ("interaction", "role", "address", "name"), addresses)
        _insert(
            Attachment,
            (
                "created_at",
                "updated_at",
                "interaction",
                "filename",
                "content_type",
                "size",
                "file",
                "sha256",
                "content_id",
            ),
            files,
        )
        refresh_last_interaction(
            organization_ids={row[1] for row in org_links},
            person_ids={row[1] for row in person_links},
        )
        if announce and signals.record_changed.has_listeners(Interaction):
            for obj in interactions:
                signals.send_record_changed(obj, signals.CREATED, actor)
    return interactions


def interaction_add_participants(pairs: Iterable[tuple[int, int]]) -> int:
    """Add our users to interactions as participants ((interaction id, user id)); pairs that exist
    already are left alone. Returns how many were new."""
    through: Any = Interaction.users.through
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return 0
    existing: set[tuple[int, int]] = set()
    interaction_ids = sorted({i for i, _u in pairs})
    for start in range(0, len(interaction_ids), 500):
        existing.update(
            through.objects.filter(
                interaction_id__in=interaction_ids[start : start + 500]
            ).values_list("interaction_id", "user_id")
        )
    new = [p for p in pairs if p not in existing]
    through.objects.bulk_create([through(interaction_id=i, user_id=u) for i, u in new])
    return len(new)


def interactions_link_address(
    *, owner_id: int, address: str, person_id: int, organization_id: int | None
) -> int:
    """Link the owner's captured mails from or to `address` to a person (and their organization)
    that has just been created for it; returns how many mails were linked."""
    address = address.strip().lower()
    with transaction.atomic():
        rows = list(
            Interaction.objects.filter(owner_id=owner_id, addresses__address=address)
            .exclude(source=InteractionSource.MANUAL)
            .exclude(interactionperson__person_id=person_id)
            .values_list("pk", "occurred_at")
            .distinct()
        )
        if not rows:
            return 0
        InteractionPerson.objects.bulk_create(
            [
                InteractionPerson(interaction_id=pk, person_id=person_id, occurred_at=when)
                for pk, when in rows
            ]
        )
        if organization_id is not None:
            linked = set(
                InteractionOrganization.objects.filter(
                    organization_id=organization_id, interaction_id__in=[pk for pk, _w in rows]
                ).values_list("interaction_id", flat=True)
            )
            InteractionOrganization.objects.bulk_create(
                [
                    InteractionOrganization(
                        interaction_id=pk, organization_id=organization_id, occurred_at=when
                    )
                    for pk, when in rows
                    if pk not in linked
                ]
            )
        refresh_last_interaction(
            person_ids=[person_id],
            organization_ids=[organization_id] if organization_id is not None else [],
        )
    return len(rows)
