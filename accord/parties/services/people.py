"""People with their positions, addresses and numbers; the summary copied onto the person row.

A person's `organization`, `job_title` and `email` are copies of the primary current position and the
primary address, refreshed by `_refresh_person_summary` after every change to either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core

from .. import selectors
from ..choices import ContactKind
from ..models import Person, PersonEmail, PersonPhone, Position
from .tags import resolve_tags

DUPLICATE_EMAIL = "duplicate_email"


def check_duplicate_email(*, actor: Any, email: str, person: Person | None = None) -> None:
    """An address another person (that the actor may see) already has is refused unless the caller
    confirms it: the error, on "email", names the other person; pages and API show it each their
    way (`params` carry name, id and url). System writes (actor None) are not asked."""
    if actor is None:
        return
    others = selectors.people_with_email(actor, email, exclude_person=person)
    if not others:
        return
    other = others[0]
    raise ValidationError(
        {
            "email": ValidationError(
                _(
                    "“%(email)s” is already the address of %(name)s (person %(id)s, %(url)s); "
                    "link to them instead, or confirm to add it anyway (confirm_duplicate)."
                ),
                code=DUPLICATE_EMAIL,
                params={
                    "email": email,
                    "name": other.full_name,
                    "id": other.pk,
                    "url": other.get_absolute_url(),
                },
            )
        }
    )


# --- people ------------------------------------------------------------------------------------


def _refresh_person_summary(person: Person) -> None:
    """Copy the primary current position and the primary address onto the person row.

    Current means not ended (no end date or ending today or later); among those the primary one wins,
    then the latest start. The copies let lists show organization, title and email without joins.
    """
    today = timezone.localdate()
    current = (
        Position.objects.filter(person=person)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organization")
        .order_by("-is_primary", F("start_date").desc(nulls_last=True), "-id")
        .first()
    )
    email = (
        PersonEmail.objects.filter(person=person)
        .order_by("-is_primary", "id")
        .values_list("email", flat=True)
        .first()
    )
    values = {
        "organization": current.organization if current else None,
        "job_title": current.title if current else "",
        "email": email or "",
    }
    Person.objects.filter(pk=person.pk).update(**values)
    for name, value in values.items():
        setattr(person, name, value)


def _as_dict(value: Any, key: str) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {key: value}


def _nested_error(errors: dict[str, list[str]], key: str, exc: ValidationError) -> None:
    """Collect a nested row's errors under one key ("emails", "phones", "positions")."""
    if hasattr(exc, "error_dict"):
        for messages in exc.message_dict.values():
            errors.setdefault(key, []).extend(messages)
    else:
        errors.setdefault(key, []).extend(exc.messages)


def person_create(*, actor: Any, data: Mapping[str, Any]) -> Person:
    """Create a person with (optionally) addresses, numbers and positions, all or nothing.

    `emails`: list of addresses or dicts (email, kind, is_primary); `phones`: numbers or dicts
    (number, kind); `positions`: dicts (organization, title, department, buying_role, start_date …).
    A problem in a nested row is reported under that list's name and nothing is stored; an address
    another person has is refused on "email" unless `confirm_duplicate` is true.
    """
    data = dict(data)
    confirmed = bool(data.pop("confirm_duplicate", False))
    emails = [_as_dict(e, "email") for e in data.pop("emails", None) or []]
    if not confirmed:
        for row in emails:
            check_duplicate_email(actor=actor, email=(row.get("email") or "").strip().lower())
    phones = [_as_dict(p, "number") for p in data.pop("phones", None) or []]
    positions = [dict(p) for p in data.pop("positions", None) or []]
    if "archived" in data:
        data["is_archived"] = bool(data.pop("archived"))
    with transaction.atomic():
        person = core.model_create(Person, actor=actor, data=data)
        errors: dict[str, list[str]] = {}
        for row in positions:
            try:
                position_create(actor=actor, data={**row, "person": person})
            except ValidationError as exc:
                _nested_error(errors, "positions", exc)
        for row in emails:
            try:
                person_email_add(actor=actor, person=person, confirm_duplicate=True, **row)
            except ValidationError as exc:
                _nested_error(errors, "emails", exc)
        for row in phones:
            try:
                person_phone_add(actor=actor, person=person, **row)
            except ValidationError as exc:
                _nested_error(errors, "phones", exc)
        if errors:
            raise ValidationError(errors)
        _refresh_person_summary(person)
    return person


def person_update(*, actor: Any, instance: Person, data: Mapping[str, Any]) -> Person:
    data = dict(data)
    data.pop("confirm_duplicate", None)  # addresses change through person_email_* only
    for nested in ("emails", "phones", "positions"):
        if data.pop(nested, None):
            raise ValidationError(
                {nested: _("Change addresses, numbers and positions one by one, not here.")}
            )
    if "archived" in data:
        data["is_archived"] = bool(data.pop("archived"))
    added = data.pop("add_tag", None)
    if "tags" in data:
        data["tags"] = resolve_tags(actor=actor, values=data["tags"])
    with transaction.atomic():
        person = core.model_update(instance, actor=actor, data=data)
        if added:
            person.tags.add(*resolve_tags(actor=actor, values=[added]))
    return person


def person_archive(*, actor: Any, instance: Person) -> Person:
    return person_update(actor=actor, instance=instance, data={"is_archived": True})


def person_unarchive(*, actor: Any, instance: Person) -> Person:
    return person_update(actor=actor, instance=instance, data={"is_archived": False})


def person_delete(*, actor: Any, instance: Person) -> None:
    core.model_delete(instance, actor=actor)


# --- positions ---------------------------------------------------------------------------------


def _demote_other_primaries(actor: Any, obj: Position | PersonEmail) -> None:
    """Only one primary position (or address) per person; the others lose the mark."""
    if not obj.is_primary:
        return
    others = type(obj).objects.filter(person_id=obj.person_id, is_primary=True).exclude(pk=obj.pk)
    for other in others:
        core.model_update(other, actor=actor, data={"is_primary": False})


def position_create(*, actor: Any, data: Mapping[str, Any]) -> Position:
    data = dict(data)
    person = data.get("person")
    if not isinstance(person, Person):
        raise ValidationError({"person": _("Choose the person this position belongs to.")})
    core.require_change(actor, person)
    with transaction.atomic():
        position = core.model_create(Position, actor=actor, data=data)
        _demote_other_primaries(actor, position)
        _refresh_person_summary(person)
    return position


def position_update(*, actor: Any, instance: Position, data: Mapping[str, Any]) -> Position:
    data = dict(data)
    person = data.pop("person", None)
    if person is not None and person.pk != instance.person_id:
        raise ValidationError({"person": _("A position cannot move to another person.")})
    with transaction.atomic():
        position = core.model_update(instance, actor=actor, data=data)
        _demote_other_primaries(actor, position)
        _refresh_person_summary(position.person)
    return position


def position_delete(*, actor: Any, instance: Position) -> None:
    person = instance.person
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        _refresh_person_summary(person)


# --- email addresses ---------------------------------------------------------------------------


def person_email_add(
    *,
    actor: Any,
    person: Person,
    email: str,
    kind: str = ContactKind.WORK,
    is_primary: bool = False,
    confirm_duplicate: bool = False,
) -> PersonEmail:
    """Add an address; the first one becomes primary. An address another person also has needs
    `confirm_duplicate`; the same address twice on one person is refused."""
    core.require_change(actor, person)
    email = (email or "").strip().lower()
    if not confirm_duplicate:
        check_duplicate_email(actor=actor, email=email, person=person)
    with transaction.atomic():
        if email and PersonEmail.objects.filter(person=person, email=email).exists():
            raise ValidationError({"email": _("This person already has this address.")})
        first = not PersonEmail.objects.filter(person=person).exists()
        obj = core.model_create(
            PersonEmail,
            actor=actor,
            data={
                "person": person,
                "email": email,
                "kind": kind,
                "is_primary": is_primary or first,
            },
        )
        _demote_other_primaries(actor, obj)
        _refresh_person_summary(person)
    return obj


def person_email_create(*, actor: Any, data: Mapping[str, Any]) -> PersonEmail:
    data = dict(data)
    person = data.pop("person", None)
    if not isinstance(person, Person):
        raise ValidationError({"person": _("Choose the person this address belongs to.")})
    return person_email_add(actor=actor, person=person, **data)


def person_email_update(
    *, actor: Any, instance: PersonEmail, data: Mapping[str, Any]
) -> PersonEmail:
    data = dict(data)
    data.pop("person", None)
    confirmed = bool(data.pop("confirm_duplicate", False))
    if "email" in data:
        data["email"] = (data["email"] or "").strip().lower()
        if not confirmed and data["email"] != instance.email:
            check_duplicate_email(actor=actor, email=data["email"], person=instance.person)
        clash = PersonEmail.objects.filter(person_id=instance.person_id, email=data["email"])
        if clash.exclude(pk=instance.pk).exists():
            raise ValidationError({"email": _("This person already has this address.")})
    with transaction.atomic():
        was_primary = PersonEmail.objects.filter(pk=instance.pk, is_primary=True).exists()
        obj = core.model_update(instance, actor=actor, data=data)
        _demote_other_primaries(actor, obj)
        if was_primary and not obj.is_primary:
            _promote_first_email(actor, obj.person, exclude=obj.pk)
        _refresh_person_summary(obj.person)
    return obj


def _promote_first_email(actor: Any, person: Person, exclude: int | None = None) -> None:
    if PersonEmail.objects.filter(person=person, is_primary=True).exists():
        return
    candidates = PersonEmail.objects.filter(person=person)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    candidate = candidates.order_by("id").first()
    if candidate is not None:
        core.model_update(candidate, actor=actor, data={"is_primary": True})


def person_email_set_primary(*, actor: Any, instance: PersonEmail) -> PersonEmail:
    return person_email_update(actor=actor, instance=instance, data={"is_primary": True})


def person_email_remove(*, actor: Any, instance: PersonEmail) -> None:
    """Remove an address; if it was the primary one, the oldest remaining becomes primary."""
    person = instance.person
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        _promote_first_email(actor, person)
        _refresh_person_summary(person)


# --- phone numbers -----------------------------------------------------------------------------


def person_phone_add(
    *, actor: Any, person: Person, number: str, kind: str = ContactKind.WORK
) -> PersonPhone:
    """Add a number, stored in E.164 form (the organization's country is the default region)."""
    core.require_change(actor, person)
    return core.model_create(
        PersonPhone, actor=actor, data={"person": person, "number": number, "kind": kind}
    )


def person_phone_create(*, actor: Any, data: Mapping[str, Any]) -> PersonPhone:
    data = dict(data)
    person = data.pop("person", None)
    if not isinstance(person, Person):
        raise ValidationError({"person": _("Choose the person this number belongs to.")})
    return person_phone_add(actor=actor, person=person, **data)


def person_phone_update(
    *, actor: Any, instance: PersonPhone, data: Mapping[str, Any]
) -> PersonPhone:
    data = dict(data)
    data.pop("person", None)
    return core.model_update(instance, actor=actor, data=data)


def person_phone_remove(*, actor: Any, instance: PersonPhone) -> None:
    core.model_delete(instance, actor=actor)


def refresh_stale_person_summaries() -> int:
    """Refresh the organization and title copied onto people whose position has ended since it
    was copied (an end date passing changes nothing in the database). Returns how many changed.

    Stale means: the copied organization has no current position of that person, or the person
    has a current position but no organization copied."""
    today = timezone.localdate()
    current = Position.objects.filter(person=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    stale = Person.objects.annotate(
        has_current_there=Exists(current.filter(organization=OuterRef("organization"))),
        has_current=Exists(current),
    ).filter(
        Q(organization__isnull=False, has_current_there=False)
        | Q(organization__isnull=True, has_current=True)
    )
    changed = 0
    for person in stale.only("pk").iterator(chunk_size=500):
        with transaction.atomic():
            _refresh_person_summary(person)
        changed += 1
    return changed
