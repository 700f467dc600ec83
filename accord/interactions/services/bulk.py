"""Bulk writes of interactions and follow-ups, for imports.

The rules of `services.py` for many rows at once: `interaction_clean` / `followup_clean` check the
values as `interaction_create` / `followup_create` do (subject, time zone, nothing but meetings,
visits and calls in the future, due dates between 2000 and five years ahead, choices and lengths by
the model fields' validators) and return errors by field instead of raising, so an import reports a
bad row and goes on. The writes link the parties with their denormalised times, keep
`last_interaction_at` of organizations and people right, write history signed by the actor, and
accept only parties the actor may see. Call them inside `transaction.atomic()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.signals import CREATED, UPDATED, record_changed
from accord.parties.models import Organization, Person
from accord.parties.services.bulk import check_fields
from accord.parties.services.bulk_sql import (
    insert_history,
    insert_link_rows,
    insert_rows,
    update_objects,
)

from ..choices import FollowUpStatus
from ..models import FollowUp, Interaction, InteractionOrganization, InteractionPerson
from . import (
    EARLIEST_DUE_DATE,
    FUTURE_TOLERANCE,
    LATEST_DUE_YEARS,
    PLANNABLE_KINDS,
    refresh_last_interaction,
)

Errors = dict[str, list[str]]
INTERACTION_FIELDS = ("kind", "direction", "occurred_at", "duration_minutes", "subject", "body")
FOLLOW_UP_FIELDS = ("title", "notes", "due_date", "status")


@dataclass
class InteractionImport:
    """One interaction to create: its values and the ids of its organizations and people."""

    values: dict[str, Any]
    organization_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)


def interaction_clean(values: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    data = {k: v for k, v in values.items() if k in INTERACTION_FIELDS}
    errors: Errors = {}
    if not str(data.get("subject") or "").strip():
        errors["subject"] = [_("Give the interaction a subject.")]
    when = data.get("occurred_at")
    if not isinstance(when, dt.datetime):
        errors["occurred_at"] = [_("Enter a valid date and time.")]
    elif timezone.is_naive(when):
        errors["occurred_at"] = [_("Give the time with its time zone.")]
    elif data.get("kind") not in PLANNABLE_KINDS and when > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = [
            _(
                "An email, letter or note cannot lie in the future; only meetings, visits and "
                "calls can be planned."
            )
        ]
    plain = {k: v for k, v in data.items() if k not in ("occurred_at", "subject")}
    check_fields(Interaction, plain, errors)
    return data, errors


def followup_clean(values: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    data = {k: v for k, v in values.items() if k in FOLLOW_UP_FIELDS}
    errors: Errors = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = [_("This field cannot be blank.")]
    due = data.get("due_date")
    if not isinstance(due, dt.date):
        errors["due_date"] = [_("Enter a valid date.")]
    else:
        latest = timezone.localdate() + dt.timedelta(days=round(365.25 * LATEST_DUE_YEARS))
        if due < EARLIEST_DUE_DATE:
            errors["due_date"] = [_("A due date before 2000 is surely a typo.")]
        elif due > latest:
            errors["due_date"] = [_("A due date more than five years ahead is surely a typo.")]
    check_fields(
        FollowUp, {k: v for k, v in data.items() if k in ("title", "notes", "status")}, errors
    )
    return data, errors


def _check_visible(actor: Any, org_ids: Iterable[int], person_ids: Iterable[int]) -> None:
    """A writer may only link records they may see (one query per kind for the whole batch)."""
    if actor is None:
        return
    for model, ids in ((Organization, set(org_ids)), (Person, set(person_ids))):
        ids.discard(None)  # type: ignore[arg-type]
        if not ids:
            continue
        manager: Any = model._default_manager
        seen = set(manager.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
        if seen != ids:
            raise ValidationError(_("Choose only records you may see."))


def _user_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _owner_team(actor: Any) -> tuple[int | None, int | None]:
    from accord.core import visibility

    if actor is None:
        return None, None
    teams = visibility.team_ids(actor)
    return actor.pk, teams[0] if teams else None


def _insert(model: Any, rows: list[dict[str, Any]], actor: Any, reason: str) -> list[int]:
    """Insert with "created" history rows; the record-changed signal for each, if anyone listens."""
    ids = insert_rows(model, rows)
    with_ids = [{**row, "id": pk} for row, pk in zip(rows, ids, strict=True)]
    insert_history(model, with_ids, user_id=_user_id(actor), reason=reason)
    if record_changed.has_listeners(model):
        for row in with_ids:
            obj = model(**row)
            obj._state.adding = False
            record_changed.send(sender=model, instance=obj, action=CREATED, actor=actor)
    return ids


def _announce_updated(model: Any, objs: Sequence[Any], actor: Any) -> None:
    if objs and record_changed.has_listeners(model):
        for obj in objs:
            record_changed.send(sender=model, instance=obj, action=UPDATED, actor=actor)


@transaction.atomic
def interactions_bulk_create(
    *, actor: Any, rows: Sequence[InteractionImport], reason: str = ""
) -> list[int]:
    """Create interactions with their parties; people alone bring their current organizations."""
    core.require_write(actor)
    all_people = {pk for row in rows for pk in row.person_ids}
    _check_visible(actor, (pk for row in rows for pk in row.organization_ids), all_people)
    current_org = dict(
        Person.objects.filter(pk__in=all_people, organization__isnull=False).values_list(
            "pk", "organization_id"
        )
    )
    owner_id, team_id = _owner_team(actor)
    values = [{"owner_id": owner_id, "team_id": team_id, **row.values} for row in rows]
    ids = _insert(Interaction, values, actor, reason)
    org_links: set[tuple[int, int, Any]] = set()
    person_links: set[tuple[int, int, Any]] = set()
    for pk, value, row in zip(ids, values, rows, strict=True):
        when = value["occurred_at"]
        org_ids = list(dict.fromkeys(row.organization_ids))
        if not org_ids:
            org_ids = list(
                dict.fromkeys(current_org[p] for p in row.person_ids if p in current_org)
            )
        org_links.update((pk, org, when) for org in org_ids)
        person_links.update((pk, person, when) for person in row.person_ids)
    insert_link_rows(
        InteractionOrganization, ["interaction", "organization", "occurred_at"], sorted(org_links)
    )
    insert_link_rows(
        InteractionPerson, ["interaction", "person", "occurred_at"], sorted(person_links)
    )
    refresh_last_interaction(
        organization_ids={link[1] for link in org_links},
        person_ids={link[1] for link in person_links},
    )
    return ids


@transaction.atomic
def interactions_bulk_update(
    *, actor: Any, changes: Sequence[tuple[Interaction, Mapping[str, Any]]], reason: str = ""
) -> list[Interaction]:
    """Overwrite kind, direction, duration and text of matched interactions (time and subject are
    what they were matched on, and stay)."""
    core.require_write(actor)
    changed, fields = [], set()
    now = timezone.now()
    for obj, values in changes:
        core.require_change(actor, obj)
        touched = False
        for name in ("kind", "direction", "duration_minutes", "body"):
            if name in values and getattr(obj, name) != values[name]:
                setattr(obj, name, values[name])
                fields.add(name)
                touched = True
        if touched:
            obj.updated_at = now
            changed.append(obj)
    if changed:
        update_objects(Interaction, changed, sorted(fields | {"updated_at"}))
        insert_history(
            Interaction, changed, user_id=_user_id(actor), reason=reason, history_type="~"
        )
        _announce_updated(Interaction, changed, actor)
    return changed


def _status_times(obj: FollowUp, now: dt.datetime) -> None:
    obj.completed_at = now if obj.status == FollowUpStatus.DONE else None


@transaction.atomic
def followups_bulk_create(
    *, actor: Any, rows: Sequence[Mapping[str, Any]], reason: str = ""
) -> list[int]:
    """Create follow-ups from cleaned values plus `organization_id`, `person_id`, `assignee_id`
    (the actor when not given)."""
    core.require_write(actor)
    _check_visible(
        actor,
        (int(r["organization_id"]) for r in rows if r.get("organization_id")),
        (int(r["person_id"]) for r in rows if r.get("person_id")),
    )
    now = timezone.now()
    owner_id, team_id = _owner_team(actor)
    values = []
    for row in rows:
        value = {"owner_id": owner_id, "team_id": team_id, **row}
        if not value.get("assignee_id") and actor is not None:
            value["assignee_id"] = actor.pk
        value["completed_at"] = now if value.get("status") == FollowUpStatus.DONE else None
        values.append(value)
    return _insert(FollowUp, values, actor, reason)


@transaction.atomic
def followups_bulk_update(
    *, actor: Any, changes: Sequence[tuple[FollowUp, Mapping[str, Any]]], reason: str = ""
) -> list[FollowUp]:
    """Overwrite notes, status and assignee of matched follow-ups."""
    core.require_write(actor)
    changed, fields = [], set()
    now = timezone.now()
    for obj, values in changes:
        core.require_change(actor, obj)
        touched = False
        for name in ("notes", "status", "assignee_id"):
            if (
                name in values
                and values[name] not in (None, "")
                and getattr(obj, name) != values[name]
            ):
                setattr(obj, name, values[name])
                fields.add(name)
                touched = True
        if "status" in fields and touched:
            _status_times(obj, now)
            fields.add("completed_at")
        if touched:
            obj.updated_at = now
            changed.append(obj)
    if changed:
        update_objects(FollowUp, changed, sorted(fields | {"updated_at"}))
        insert_history(FollowUp, changed, user_id=_user_id(actor), reason=reason, history_type="~")
        _announce_updated(FollowUp, changed, actor)
    return changed
