"""Bulk writes of organizations and people (with addresses, numbers and positions), for imports.

The same rules as the one-by-one services, at thousands of rows per statement:

* values are checked with the model fields' own validators (length, email, URL, choices) and the
  parties validators (VAT id, phone in E.164), without a `full_clean()` per row: `*_clean()` return
  the cleaned values and the errors per field, so an import reports a bad row and goes on;
* roles arrive as a list and are stored as `is_<role>` booleans; the website gets `https://` when
  typed without a scheme, as the form does;
* a person's `organization`, `job_title` and `email` are copies of the primary current position and
  the primary address (set on insert, `refresh_person_summaries()` after an update);
* every created or changed row gets its history entry signed by the actor, and the record-changed
  signal is sent when someone listens (webhooks).

Writes check the role (`require_write`) and, for updates, `can_change` on every record. Call them
inside `transaction.atomic()` (the import commits one batch per transaction).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import signals, visibility
from accord.core.signals import CREATED, UPDATED, record_changed

from ..choices import ContactKind, OrganizationRole
from ..models import Organization, Person, PersonEmail, PersonPhone, Position, Tag, role_field
from ..validators import normalize_phone, normalize_vat_id
from .bulk_sql import (
    Row,
    insert_history,
    insert_link_rows,
    insert_objects,
    insert_rows,
    update_objects,
)
from .tags import tag_create

Errors = dict[str, list[str]]

ORGANIZATION_FIELDS = (
    "name",
    "legal_name",
    "industry",
    "size",
    "website",
    "email",
    "phone",
    "vat_id",
    "street",
    "postal_code",
    "city",
    "region",
    "country",
    "notes",
    "external_id",
)
PERSON_FIELDS = ("salutation", "academic_title", "first_name", "last_name", "notes", "external_id")
POSITION_FIELDS = ("title", "department", "buying_role", "start_date")


# --- validation ----------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _field_check(model: type[models.Model], name: str) -> Callable[[Any], list[str]]:
    """The checks `full_clean()` runs on one field (blank, choices, validators), as one function."""
    model_field: Any = model._meta.get_field(name)
    choices = {str(k) for k, _v in model_field.flatchoices} if model_field.choices else None
    validators = list(model_field.validators)
    blank_message = model_field.error_messages["blank"]
    choice_message = model_field.error_messages["invalid_choice"]

    max_length = getattr(model_field, "max_length", None)
    # Text fields whose only validators are the length and NUL checks: the same rules inline;
    # the validators run (for their messages) only when a value breaks one.
    simple = all(
        isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator) for v in validators
    )

    def check(value: Any) -> list[str]:
        if value is None or value == "":
            return [] if model_field.blank else [str(blank_message)]
        messages: list[str] = []
        if choices is not None and str(value) not in choices:
            messages.append(str(choice_message) % {"value": value})
        fits = max_length is None or len(value) <= max_length
        if simple and isinstance(value, str) and fits and "\x00" not in value:
            return messages
        for validator in validators:
            try:
                validator(value)
            except ValidationError as exc:
                messages.extend(exc.messages)
        return messages

    return check


def check_fields(model: type[models.Model], values: Mapping[str, Any], errors: Errors) -> None:
    """Run the model's field checks on the given values, adding messages to `errors`."""
    for name, value in values.items():
        messages = _field_check(model, name)(value)
        if messages:
            errors.setdefault(name, []).extend(messages)


def _normalized(errors: Errors, name: str, fn: Callable[[], str]) -> str | None:
    try:
        return fn()
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.messages)
        return None


def organization_clean(values: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    """Organization values (and `roles` as a list) → the values to store, and errors by field."""
    data = {k: v for k, v in values.items() if k in ORGANIZATION_FIELDS or k == "roles"}
    errors: Errors = {}
    roles = data.pop("roles", None)
    if roles is not None:
        chosen = {str(r) for r in roles}
        unknown = chosen - set(OrganizationRole.values)
        if unknown:
            errors["roles"] = [
                _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}
            ]
        for role in OrganizationRole:
            data[role_field(role.value)] = role.value in chosen
    website = str(data.get("website") or "")
    if website and "://" not in website:
        data["website"] = f"https://{website}"
    country = str(data.get("country") or "")
    if data.get("vat_id"):
        data["vat_id"] = _normalized(
            errors, "vat_id", lambda: normalize_vat_id(str(data["vat_id"]), country)
        )
    if data.get("phone"):
        data["phone"] = _normalized(
            errors, "phone", lambda: normalize_phone(str(data["phone"]), country or "DE")
        )
    check_fields(Organization, {k: v for k, v in data.items() if k in ORGANIZATION_FIELDS}, errors)
    return data, errors


def person_clean(values: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    data = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    errors: Errors = {}
    check_fields(Person, data, errors)
    return data, errors


def email_clean(value: str, errors: Errors, key: str = "email") -> str:
    email = (value or "").strip().lower()
    messages = _field_check(PersonEmail, "email")(email) if email else []
    if messages:
        errors.setdefault(key, []).extend(messages)
        return ""
    return email


def phone_clean(value: str, country: str, errors: Errors, key: str = "phone") -> str:
    number = _normalized(errors, key, lambda: normalize_phone(value, country or "DE"))
    return number or ""


def position_clean(values: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    data = {k: v for k, v in values.items() if k in (*POSITION_FIELDS, "end_date")}
    errors: Errors = {}
    check_fields(Position, {k: v for k, v in data.items() if not isinstance(v, date)}, errors)
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        errors["end_date"] = [str(_("A position cannot end before it starts."))]
    return data, errors


def tags_by_name(*, actor: Any, names: Iterable[str]) -> dict[str, Tag]:
    """Tags by their case-folded name; unknown names are created (through the tag service)."""
    wanted = {" ".join(n.split()) for n in names if n and n.strip()}
    if not wanted:
        return {}
    found = {t.name.casefold(): t for t in Tag.objects.all()}
    for name in sorted(wanted):
        if name.casefold() not in found:
            found[name.casefold()] = tag_create(actor=actor, data={"name": name})
    return {n.casefold(): found[n.casefold()] for n in wanted}


# --- writes --------------------------------------------------------------------------------------


@dataclass
class PersonImport:
    """One person to create or to complete: fields, addresses, numbers, a position, tags."""

    values: dict[str, Any]
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (E.164 number, kind)
    position: dict[str, Any] | None = None  # organization_id, title, department, buying_role …
    tag_ids: list[int] = field(default_factory=list)


def _announce(
    model: type[models.Model], action: str, actor: Any, objs: Sequence[models.Model] = ()
) -> None:
    """The record-changed signal (webhooks) for each record, sent only when someone listens."""
    if not objs or not record_changed.has_listeners(model):
        return
    with signals.batch():  # receivers look things up once for all of them
        for obj in objs:
            record_changed.send(sender=model, instance=obj, action=action, actor=actor)


def _instances(model: type[models.Model], rows: Sequence[Row], ids: Sequence[int]) -> list[Any]:
    """Model instances of inserted rows, built only for the signal's receivers."""
    if not record_changed.has_listeners(model):
        return []
    objs = []
    for row, pk in zip(rows, ids, strict=True):
        obj = model(**row)
        obj.pk = pk
        obj._state.adding = False
        objs.append(obj)
    return objs


def _owner_team(actor: Any) -> tuple[int | None, int | None]:
    """Owner and team as `core.model_create` gives them: the actor and the actor's first team."""
    if actor is None:
        return None, None
    teams = visibility.team_ids(actor)
    return actor.pk, teams[0] if teams else None


def _user_id(actor: Any) -> int | None:
    return actor.pk if visibility.is_authenticated(actor) else None


def _add_tags(through: Any, owner_field: str, pairs: Iterable[tuple[int, int]]) -> None:
    pairs = set(pairs)
    if not pairs:
        return
    owners = {p[0] for p in pairs}
    existing = set(
        through.objects.filter(**{f"{owner_field}__in": owners}).values_list(
            f"{owner_field}", "tag_id"
        )
    )
    insert_link_rows(through, [owner_field, "tag"], sorted(pairs - existing))


def _insert_with_history(
    model: type[models.Model], rows: Sequence[Row], user_id: int | None, reason: str
) -> list[int]:
    return insert_rows(model, rows, history_user_id=user_id, history_reason=reason)


@transaction.atomic
def organizations_bulk_create(
    *, actor: Any, rows: Sequence[Mapping[str, Any]], reason: str = ""
) -> list[int]:
    """Create organizations from cleaned values (`organization_clean`) plus `tag_ids`; their ids."""
    core.require_write(actor)
    owner_id, team_id = _owner_team(actor)
    values = []
    for row in rows:
        value = {k: v for k, v in row.items() if k != "tag_ids"}
        value.setdefault("owner_id", owner_id)
        value.setdefault("team_id", team_id)
        values.append(value)
    ids = _insert_with_history(Organization, values, _user_id(actor), reason)
    _add_tags(
        Organization.tags.through,
        "organization",
        ((pk, t) for pk, row in zip(ids, rows, strict=True) for t in row.get("tag_ids", ())),
    )
    _announce(Organization, CREATED, actor, _instances(Organization, values, ids))
    return ids


def _apply_changes(
    model: type[models.Model], changes: Sequence[tuple[Any, Mapping[str, Any]]], actor: Any
) -> tuple[list[Any], set[str]]:
    """Set the given values on each record the actor may change; the changed records and fields."""
    changed, fields = [], set()
    now = timezone.now()
    for obj, values in changes:
        if actor is not None and not visibility.can_change(actor, obj):
            raise PermissionDenied(_("You may not change this record."))
        touched = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                fields.add(name)
                touched = True
        if touched:
            obj.updated_at = now
            changed.append(obj)
    if changed:
        fields.add("updated_at")
        update_objects(model, changed, sorted(fields))
    return changed, fields


@transaction.atomic
def organizations_bulk_update(
    *, actor: Any, changes: Sequence[tuple[Organization, Mapping[str, Any]]], reason: str = ""
) -> list[Organization]:
    """Overwrite the given fields of existing organizations; `tag_ids` are added."""
    core.require_write(actor)
    plain = [(o, {k: v for k, v in vals.items() if k != "tag_ids"}) for o, vals in changes]
    changed, _fields = _apply_changes(Organization, plain, actor)
    insert_history(Organization, changed, user_id=_user_id(actor), reason=reason, history_type="~")
    _add_tags(
        Organization.tags.through,
        "organization",
        ((o.pk, t) for o, vals in changes for t in vals.get("tag_ids", ())),
    )
    _announce(Organization, UPDATED, actor, changed)
    return changed


@transaction.atomic
def people_bulk_create(*, actor: Any, rows: Sequence[PersonImport], reason: str = "") -> list[int]:
    """Create people with their addresses (the first primary), numbers and one primary position;
    the person's summary fields are set from them on insert. Returns the new ids."""
    core.require_write(actor)
    owner_id, team_id = _owner_team(actor)
    today = timezone.localdate()
    people = []
    for row in rows:
        person = dict(row.values)
        person.setdefault("owner_id", owner_id)
        person.setdefault("team_id", team_id)
        position = row.position
        if position and position.get("organization_id"):
            end = position.get("end_date")
            if end is None or end >= today:
                person["organization_id"] = position["organization_id"]
                person["job_title"] = position.get("title") or ""
        person["email"] = row.emails[0] if row.emails else ""
        people.append(person)
    user_id = _user_id(actor)
    ids = _insert_with_history(Person, people, user_id, reason)
    emails, phones, positions = [], [], []
    for pk, row in zip(ids, rows, strict=True):
        for i, email in enumerate(dict.fromkeys(row.emails)):
            emails.append({"person_id": pk, "email": email, "is_primary": i == 0})
        for number, kind in dict.fromkeys(row.phones):
            phones.append({"person_id": pk, "number": number, "kind": kind or ContactKind.WORK})
        if row.position and row.position.get("organization_id"):
            positions.append({"person_id": pk, "is_primary": True, **row.position})
    for model, values in ((PersonEmail, emails), (PersonPhone, phones), (Position, positions)):
        _insert_with_history(model, values, user_id, reason)
    _add_tags(
        Person.tags.through,
        "person",
        ((pk, t) for pk, row in zip(ids, rows, strict=True) for t in row.tag_ids),
    )
    _announce(Person, CREATED, actor, _instances(Person, people, ids))
    return ids


@transaction.atomic
def people_bulk_update(
    *, actor: Any, changes: Sequence[tuple[Person, PersonImport]], reason: str = ""
) -> list[Person]:
    """Complete existing people: overwrite the given fields, add addresses and numbers they do not
    have yet, add the position (or update its title, department, buying role when they already hold
    one at that organization), add tags. The summary fields follow."""
    core.require_write(actor)
    user_id = _user_id(actor)
    changed, _fields = _apply_changes(Person, [(p, row.values) for p, row in changes], actor)
    insert_history(Person, changed, user_id=user_id, reason=reason, history_type="~")
    ids = [p.pk for p, _row in changes]
    have_email: dict[int, set[str]] = defaultdict(set)
    for person_id, email in PersonEmail.objects.filter(person_id__in=ids).values_list(
        "person_id", "email"
    ):
        have_email[person_id].add(email)
    have_phone: dict[int, set[str]] = defaultdict(set)
    for person_id, number in PersonPhone.objects.filter(person_id__in=ids).values_list(
        "person_id", "number"
    ):
        have_phone[person_id].add(number)
    today = timezone.localdate()
    current = Position.objects.filter(person_id__in=ids).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    held: dict[tuple[int, int], Position] = {}
    has_primary: set[int] = set()
    for position in current:
        held.setdefault((position.person_id, position.organization_id), position)
        if position.is_primary:
            has_primary.add(position.person_id)
    emails, phones, positions, position_changes = [], [], [], []
    for person, row in changes:
        for email in dict.fromkeys(row.emails):
            if email not in have_email[person.pk]:
                primary = not have_email[person.pk]
                emails.append(PersonEmail(person=person, email=email, is_primary=primary))
                have_email[person.pk].add(email)
        for number, kind in dict.fromkeys(row.phones):
            if number not in have_phone[person.pk]:
                phones.append(PersonPhone(person=person, number=number, kind=kind or "work"))
                have_phone[person.pk].add(number)
        if row.position and row.position.get("organization_id"):
            key = (person.pk, row.position["organization_id"])
            values = {k: v for k, v in row.position.items() if k != "organization_id" and v}
            if key in held:
                position_changes.append((held[key], values))
            else:
                primary = person.pk not in has_primary
                has_primary.add(person.pk)
                new = Position(person=person, is_primary=primary, **row.position)
                positions.append(new)
                held[key] = new
    for model, objs in ((PersonEmail, emails), (PersonPhone, phones), (Position, positions)):
        insert_objects(model, objs)
        insert_history(model, objs, user_id=user_id, reason=reason)
    moved, _f = _apply_changes(Position, position_changes, None)
    insert_history(Position, moved, user_id=user_id, reason=reason, history_type="~")
    _add_tags(Person.tags.through, "person", ((p.pk, t) for p, row in changes for t in row.tag_ids))
    refresh_person_summaries(ids)
    _announce(Person, UPDATED, actor, [p for p, _row in changes])
    return [p for p, _row in changes]


def refresh_person_summaries(person_ids: Iterable[int]) -> None:
    """`_refresh_person_summary` for many people in four queries: the primary current position
    (then the latest start, then the newest) and the primary address (then the oldest)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    today = timezone.localdate()
    best_position: dict[int, tuple] = {}
    rows = (
        Position.objects.filter(person_id__in=ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("person_id", "organization_id", "title", "is_primary", "start_date", "id")
    )
    for person_id, org_id, title, primary, start, pk in rows:
        key = (primary, start is not None, start or date.min, pk)
        if person_id not in best_position or key > best_position[person_id][0]:
            best_position[person_id] = (key, org_id, title)
    best_email: dict[int, tuple] = {}
    for person_id, email, primary, pk in PersonEmail.objects.filter(person_id__in=ids).values_list(
        "person_id", "email", "is_primary", "id"
    ):
        rank = (primary, -pk)
        if person_id not in best_email or rank > best_email[person_id][0]:
            best_email[person_id] = (rank, email)
    stale = []
    for person in Person.objects.filter(pk__in=ids).only(
        "id", "organization", "job_title", "email"
    ):
        _key, org_id, title = best_position.get(person.pk, (None, None, ""))
        email = best_email.get(person.pk, (None, ""))[1]
        if (person.organization_id, person.job_title, person.email) != (org_id, title, email):
            person.organization_id, person.job_title, person.email = org_id, title, email
            stale.append(person)
    update_objects(Person, stale, ["organization", "job_title", "email"])
