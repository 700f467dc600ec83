"""Organizations: roles as a list in, `is_<role>` booleans stored; archive; delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core

from ..choices import OrganizationRole
from ..models import Organization, Person, Tag, role_field
from .people import _refresh_person_summary
from .tags import resolve_tags

# --- organizations -----------------------------------------------------------------------------


def _organization_data(actor: Any, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Tag]]:
    """Roles list → booleans, tags by name or id → Tag rows; `add_tag` (bulk edit) adds, never replaces."""
    data = dict(data)
    added = data.pop("add_tag", None)
    if "roles" in data:
        chosen = {str(r) for r in (data.pop("roles") or [])}
        unknown = chosen - set(OrganizationRole.values)
        if unknown:
            raise ValidationError(
                {"roles": _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}}
            )
        for role in OrganizationRole:
            data[role_field(role.value)] = role.value in chosen
    if "archived" in data:
        data["is_archived"] = bool(data.pop("archived"))
    if "tags" in data:
        data["tags"] = resolve_tags(actor=actor, values=data["tags"])
    add_tags = resolve_tags(actor=actor, values=[added]) if added else []
    return data, add_tags


def organization_create(*, actor: Any, data: Mapping[str, Any]) -> Organization:
    with transaction.atomic():
        plain, add_tags = _organization_data(actor, data)
        org = core.model_create(Organization, actor=actor, data=plain)
        if add_tags:
            org.tags.add(*add_tags)
    return org


def organization_update(
    *, actor: Any, instance: Organization, data: Mapping[str, Any]
) -> Organization:
    with transaction.atomic():
        plain, add_tags = _organization_data(actor, data)
        org = core.model_update(instance, actor=actor, data=plain)
        if add_tags:
            org.tags.add(*add_tags)
    return org


def organization_archive(*, actor: Any, instance: Organization) -> Organization:
    """Archived organizations leave the default lists but keep their history and links."""
    return organization_update(actor=actor, instance=instance, data={"is_archived": True})


def organization_unarchive(*, actor: Any, instance: Organization) -> Organization:
    return organization_update(actor=actor, instance=instance, data={"is_archived": False})


def organization_delete(*, actor: Any, instance: Organization) -> None:
    """Delete the organization with its positions; the people who held them get a new summary."""
    with transaction.atomic():
        people = list(Person.objects.filter(positions__organization=instance).distinct())
        core.model_delete(instance, actor=actor)
        for person in people:
            _refresh_person_summary(person)
