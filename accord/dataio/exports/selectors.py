"""Reads for exports: counts of a list export, and every record a user may see for the full export.

Every queryset here goes through `visible_to(user)` (THE visibility rule); child records (emails,
phones, positions, participants) come with their visible parent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch, QuerySet

from accord.core import visibility
from accord.core.jobs import visible_jobs
from accord.core.models import Job
from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person, Position, Relationship, Tag

CHUNK_SIZE = 1000


def count_capped(queryset: QuerySet[Any], cap: int) -> int:
    """How many rows, counting at most `cap` (a cheap `COUNT(*)` over `LIMIT cap`)."""
    return queryset.order_by()[:cap].count()


def count_rows(queryset: QuerySet[Any]) -> int:
    return queryset.order_by().count()


def export_jobs(user: Any, kind: str, limit: int = 10) -> list[Job]:
    """The user's latest export jobs of one kind, newest first."""
    return list(visible_jobs(user).filter(kind=kind, started_by=user)[:limit])


# --- the full export -------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return _ref(value)
    return str(value)


def _ref(obj: models.Model) -> dict[str, Any]:
    """A record named from another one: its id and its name (a user: also the email)."""
    ref: dict[str, Any] = {"id": obj.pk, "name": str(obj)}
    if isinstance(obj, get_user_model()):
        ref["email"] = obj.email
    return ref


def record_dict(obj: models.Model, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The record's own fields; a foreign key as {id, name} where the related record was loaded
    with it (`select_related`), else as its id."""
    out: dict[str, Any] = {}
    cache = obj._state.fields_cache
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        if field.is_relation:
            if field.name in cache:
                related = cache[field.name]
                out[field.name] = None if related is None else _ref(related)
            else:
                out[field.name] = getattr(obj, field.attname)
        else:
            out[field.name] = _json_value(field.value_from_object(obj))
    return out


def _names(items: Any) -> list[str]:
    return [str(item) for item in items]


def _refs(items: Any) -> list[dict[str, Any]]:
    return [_ref(item) for item in items]


def _tags(user: Any) -> QuerySet[Tag]:
    return Tag.objects.all() if visibility.is_authenticated(user) else Tag.objects.none()


def _organizations(user: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.visible_to(user)
        .select_related("owner", "team")
        .prefetch_related("tags")
        .order_by("pk")
    )


def _people(user: Any) -> QuerySet[Person]:
    return (
        Person.objects.visible_to(user)
        .select_related("owner", "team", "organization")
        .prefetch_related(
            "tags",
            "emails",
            "phones",
            Prefetch("positions", queryset=Position.objects.select_related("organization")),
        )
        .order_by("pk")
    )


def _relationships(user: Any) -> QuerySet[Relationship]:
    return (
        Relationship.objects.visible_to(user)
        .select_related(
            "owner", "team", "from_organization", "to_organization", "from_person", "to_person"
        )
        .order_by("pk")
    )


def _interactions(user: Any) -> QuerySet[Interaction]:
    return (
        Interaction.objects.visible_to(user)
        .select_related("owner", "team")
        .prefetch_related("organizations", "people", "users")
        .order_by("pk")
    )


def _follow_ups(user: Any) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.visible_to(user)
        .select_related("owner", "team", "assignee", "organization", "person", "interaction")
        .order_by("pk")
    )


def _tag_record(tag: Tag) -> dict[str, Any]:
    return record_dict(tag)


def _organization_record(org: Organization) -> dict[str, Any]:
    data = record_dict(org)
    data["roles"] = list(org.roles)
    data["tags"] = _names(org.tags.all())
    return data


def _person_record(person: Person) -> dict[str, Any]:
    data = record_dict(person)
    data["full_name"] = person.full_name
    data["tags"] = _names(person.tags.all())
    data["emails"] = [record_dict(e, skip=("person",)) for e in person.emails.all()]
    data["phones"] = [record_dict(p, skip=("person",)) for p in person.phones.all()]
    data["positions"] = [record_dict(p, skip=("person",)) for p in person.positions.all()]
    return data


def _relationship_record(rel: Relationship) -> dict[str, Any]:
    return record_dict(rel)


def _interaction_record(interaction: Interaction) -> dict[str, Any]:
    data = record_dict(interaction)
    data["organizations"] = _refs(interaction.organizations.all())
    data["people"] = _refs(interaction.people.all())
    data["users"] = _refs(interaction.users.all())
    return data


def _follow_up_record(follow_up: FollowUp) -> dict[str, Any]:
    return record_dict(follow_up)


SECTIONS: dict[str, tuple[Callable[[Any], QuerySet[Any]], Callable[[Any], dict[str, Any]]]] = {
    "tags": (_tags, _tag_record),
    "organizations": (_organizations, _organization_record),
    "people": (_people, _person_record),
    "relationships": (_relationships, _relationship_record),
    "interactions": (_interactions, _interaction_record),
    "follow_ups": (_follow_ups, _follow_up_record),
}


def full_export_counts(user: Any, cap: int | None = None) -> dict[str, int]:
    """How many records of each kind the user may see (the full export's progress total);
    with `cap`, each count stops there (a page that only says "more than …")."""
    if cap is None:
        return {name: count_rows(make(user)) for name, (make, _record) in SECTIONS.items()}
    return {name: count_capped(make(user), cap) for name, (make, _record) in SECTIONS.items()}


def full_export_records(user: Any, section: str) -> Iterator[dict[str, Any]]:
    """The visible records of one kind as JSON-ready dicts, read in chunks."""
    make, to_record = SECTIONS[section]
    for obj in make(user).iterator(chunk_size=CHUNK_SIZE):
        yield to_record(obj)
