"""Buying centers: who at the client decides and influences one opportunity's purchase.

Members are proposed from the people's current positions at the opportunity's organization (their
buying role there) and edited per opportunity. Rules (refused with a message naming the field):
only who may change the opportunity edits its buying center; the person must be visible to the
actor and hold or have held a position at the opportunity's organization; a person holds each
role once per opportunity; a member does not move to another opportunity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.choices import BuyingRole
from accord.parties.models import Person, Position

from ..models import BuyingCenterMember, Opportunity


def _validate_person(actor: Any, opportunity: Opportunity, person: Person | None) -> Person:
    if person is None:
        raise ValidationError({"person": _("Choose a person.")})
    if actor is not None and not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("You may not see this person.")})
    at_org = Position.objects.filter(person=person, organization_id=opportunity.organization_id)
    if not at_org.exists():
        raise ValidationError(
            {
                "person": _(
                    "%(person)s has no position at %(organization)s; only their people can be "
                    "in the buying center."
                )
                % {"person": person, "organization": opportunity.organization}
            }
        )
    return person


def _validate_role(role: Any) -> str:
    if role not in BuyingRole.values:
        raise ValidationError({"role": _("Choose one of the buying roles.")})
    return str(role)


def _refuse_duplicate(
    opportunity: Opportunity, person: Person, role: str, exclude_pk: int | None = None
) -> None:
    rows = BuyingCenterMember.objects.filter(opportunity=opportunity, person=person, role=role)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    if rows.exists():
        raise ValidationError(
            {
                "role": _("%(person)s is already in this buying center as %(role)s.")
                % {"person": person, "role": BuyingRole(role).label}
            }
        )


def buying_center_member_add(
    *, actor: Any, opportunity: Opportunity, data: Mapping[str, Any]
) -> BuyingCenterMember:
    """Add one person in one role to the opportunity's buying center."""
    core.require_change(actor, opportunity)
    person = _validate_person(actor, opportunity, data.get("person"))
    role = _validate_role(data.get("role"))
    _refuse_duplicate(opportunity, person, role)
    values = {
        "opportunity": opportunity,
        "person": person,
        "role": role,
        "notes": data.get("notes") or "",
        "from_position": bool(data.get("from_position", False)),
    }
    with transaction.atomic():
        return core.model_create(BuyingCenterMember, actor=actor, data=values)


def buying_center_member_create(*, actor: Any, data: Mapping[str, Any]) -> BuyingCenterMember:
    """The API's create: the opportunity comes in the data."""
    opportunity = data.get("opportunity")
    if opportunity is None:
        raise ValidationError({"opportunity": _("Choose an opportunity.")})
    return buying_center_member_add(actor=actor, opportunity=opportunity, data=data)


def buying_center_member_update(
    *, actor: Any, instance: BuyingCenterMember, data: Mapping[str, Any]
) -> BuyingCenterMember:
    """Change a member's role (or notes, or the person); the same rules as adding apply."""
    core.require_change(actor, instance)
    data = dict(data)
    opportunity = instance.opportunity
    if "opportunity" in data and data["opportunity"] != opportunity:
        raise ValidationError(
            {"opportunity": _("A member cannot move to another opportunity; add them there.")}
        )
    data.pop("opportunity", None)
    data.pop("from_position", None)
    person = instance.person
    if "person" in data and data["person"] != instance.person:
        person = _validate_person(actor, opportunity, data["person"])
    role = _validate_role(data.get("role", instance.role))
    _refuse_duplicate(opportunity, person, role, exclude_pk=instance.pk)
    values = {**data, "person": person, "role": role}
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=values)


def buying_center_member_remove(*, actor: Any, instance: BuyingCenterMember) -> None:
    core.model_delete(instance, actor=actor)


def buying_center_take_from_positions(
    *, actor: Any, opportunity: Opportunity
) -> list[BuyingCenterMember]:
    """Propose members from the current positions (no end date, or ending today or later) at the
    opportunity's organization that record a buying role; people the actor may not see are left
    out. Idempotent: a person already in this buying center is left as they are (in the role
    chosen for this deal). Returns the members added."""
    core.require_change(actor, opportunity)
    today = timezone.localdate()
    positions = (
        Position.objects.filter(organization_id=opportunity.organization_id)
        .exclude(buying_role="")
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person")
        .order_by("person_id", "id")
    )
    if actor is not None:
        positions = positions.filter(person__in=Person.objects.visible_to(actor).values("pk"))
    members = set(
        BuyingCenterMember.objects.filter(opportunity=opportunity).values_list(
            "person_id", flat=True
        )
    )
    taken: set[tuple[int, str]] = set()
    added: list[BuyingCenterMember] = []
    with transaction.atomic():
        for position in positions:
            key = (position.person_id, position.buying_role)
            if position.person_id in members or key in taken:
                continue
            taken.add(key)
            added.append(
                core.model_create(
                    BuyingCenterMember,
                    actor=actor,
                    data={
                        "opportunity": opportunity,
                        "person": position.person,
                        "role": position.buying_role,
                        "from_position": True,
                    },
                )
            )
    return added
