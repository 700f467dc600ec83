"""Reading portal accounts (staff side) and the portal's own scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accord.parties.models import Organization

from .models import PortalAccount


def account_list(user: Any) -> QuerySet[PortalAccount]:
    """The portal accounts whose person the user may see."""
    return PortalAccount.objects.visible_to(user).select_related(
        "person", "organization", "invited_by"
    )


def invitable_organizations(user: Any, person: Any) -> QuerySet[Organization]:
    """Client or prospect organizations the person is (or was) at, that the user may see."""
    ids = set(person.positions.values_list("organization_id", flat=True))
    if person.organization_id:
        ids.add(person.organization_id)
    return (
        Organization.objects.visible_to(user)
        .filter(Q(is_client=True) | Q(is_prospect=True), pk__in=ids)
        .order_by("name")
    )
