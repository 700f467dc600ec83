"""Reads for internal business units, visibility applied: the request list, the units the user
may see, and the units overview (people, interactions between units and with suppliers, the
request matrix, suppliers shared by several units).

Counts are made by the database (GROUP BY); Python only arranges the few aggregated rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accord.parties.models import Organization, Position

from ..models import (
    UNIT_REQUEST_OPEN_STATUSES,
    Interaction,
    InteractionOrganization,
    UnitRequest,
)

RECENT_INTERACTIONS = 10


def unit_request_list(user: Any) -> QuerySet[UnitRequest]:
    """Visible requests with their units, requester person and owner."""
    return UnitRequest.objects.visible_to(user).select_related(
        "requester", "server", "requested_by", "owner", "team"
    )


def internal_units(user: Any) -> QuerySet[Organization]:
    """The internal business units the user may see (archived ones left out), by name."""
    return (
        Organization.objects.visible_to(user)
        .filter(is_internal=True, is_archived=False)
        .order_by("name", "id")
    )


def _purchase_order_model() -> Any:
    """procurement.PurchaseOrder with a `business_unit`, or None when that app does not have it."""
    try:
        model = apps.get_model("procurement", "PurchaseOrder")
        model._meta.get_field("business_unit")
        model._meta.get_field("supplier")
    except (LookupError, FieldDoesNotExist):
        return None
    return model


@dataclass
class UnitRow:
    unit: Organization
    positions: list[Position] = field(default_factory=list)
    between_units: int = 0  # interactions with at least one other internal unit
    with_suppliers: int = 0  # interactions that include a supplier
    open_given: int = 0
    overdue_given: int = 0
    open_received: int = 0
    overdue_received: int = 0


@dataclass
class SharedSupplier:
    supplier: Organization
    orders: int
    units: list[tuple[Organization, int]]  # (unit, orders)


@dataclass
class UnitsOverview:
    units: list[UnitRow]
    matrix: dict[tuple[int, int], tuple[int, int]]  # (requester, server) → (open, overdue)
    recent_between: list[Any]
    shared_suppliers: list[SharedSupplier] | None  # None: procurement has no purchase orders
    today: dt.date

    def matrix_rows(self) -> list[dict[str, Any]]:
        """One row per requesting unit: a cell per serving unit (None on the diagonal)."""
        rows = []
        for requester in self.units:
            cells: list[dict[str, Any] | None] = []
            for server in self.units:
                if server.unit.pk == requester.unit.pk:
                    cells.append(None)
                    continue
                open_, overdue = self.matrix.get((requester.unit.pk, server.unit.pk), (0, 0))
                cells.append({"open": open_, "overdue": overdue, "server": server.unit})
            rows.append({"unit": requester.unit, "cells": cells})
        return rows


def units_overview(user: Any, *, today: dt.date | None = None) -> UnitsOverview:
    today = today or timezone.localdate()
    units = list(internal_units(user))
    ids = [u.pk for u in units]
    rows = {u.pk: UnitRow(unit=u) for u in units}

    # people: current positions at the units, of people the user may see
    positions = (
        Position.objects.visible_to(user)
        .filter(organization_id__in=ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    for position in positions:
        rows[position.organization_id].positions.append(position)

    # interactions between units and with suppliers (the visible ones)
    visible = Interaction.objects.visible_to(user).values("pk")
    other_unit = InteractionOrganization.objects.filter(
        interaction_id=OuterRef("interaction_id"), organization_id__in=ids
    ).exclude(organization_id=OuterRef("organization_id"))
    supplier = InteractionOrganization.objects.filter(
        interaction_id=OuterRef("interaction_id"), organization__is_supplier=True
    ).exclude(organization_id=OuterRef("organization_id"))
    links = InteractionOrganization.objects.filter(
        organization_id__in=ids, interaction_id__in=visible
    )
    if ids:
        for org_id, n in (
            links.filter(Exists(other_unit))
            .values_list("organization_id")
            .annotate(n=Count("id"))
            .values_list("organization_id", "n")
        ):
            rows[org_id].between_units = n
        for org_id, n in (
            links.filter(Exists(supplier))
            .values_list("organization_id")
            .annotate(n=Count("id"))
            .values_list("organization_id", "n")
        ):
            rows[org_id].with_suppliers = n
    between_ids = links.filter(Exists(other_unit)).values("interaction_id")
    recent = list(
        Interaction.objects.filter(pk__in=between_ids)
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.filter(pk__in=ids).only("id", "name"),
                to_attr="unit_list",
            )
        )
        .order_by("-occurred_at", "-id")[:RECENT_INTERACTIONS]
    )

    # open and overdue requests, requester × server
    matrix: dict[tuple[int, int], tuple[int, int]] = {}
    requests = (
        UnitRequest.objects.visible_to(user)
        .filter(status__in=UNIT_REQUEST_OPEN_STATUSES, requester_id__in=ids, server_id__in=ids)
        .values_list("requester_id", "server_id")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
        )
        .values_list("requester_id", "server_id", "n", "overdue")
    )
    for requester, server, n, overdue in requests:
        matrix[(requester, server)] = (n, overdue)
        rows[requester].open_given += n
        rows[requester].overdue_given += overdue
        rows[server].open_received += n
        rows[server].overdue_received += overdue

    return UnitsOverview(
        units=list(rows.values()),
        matrix=matrix,
        recent_between=recent,
        shared_suppliers=shared_suppliers(user, units),
        today=today,
    )


def shared_suppliers(user: Any, units: list[Organization]) -> list[SharedSupplier] | None:
    """Suppliers the user may see with purchase orders (visible ones) from at least two of the
    units, most units first; None when procurement has no purchase orders with a business unit."""
    model = _purchase_order_model()
    if model is None:
        return None
    ids = [u.pk for u in units]
    by_id = {u.pk: u for u in units}
    orders = model._default_manager.visible_to(user).filter(
        business_unit_id__in=ids,
        supplier_id__in=Organization.objects.visible_to(user).values("pk"),
    )
    per_pair = list(
        orders.values_list("supplier_id", "business_unit_id")
        .annotate(n=Count("id"))
        .values_list("supplier_id", "business_unit_id", "n")
    )
    grouped: dict[int, list[tuple[int, int]]] = {}
    for supplier_id, unit_id, n in per_pair:
        grouped.setdefault(supplier_id, []).append((unit_id, n))
    shared = {s: pairs for s, pairs in grouped.items() if len(pairs) >= 2}
    suppliers = Organization.objects.in_bulk(list(shared))
    out = [
        SharedSupplier(
            supplier=suppliers[s],
            orders=sum(n for _u, n in pairs),
            units=sorted(
                ((by_id[u], n) for u, n in pairs), key=lambda item: (-item[1], item[0].name)
            ),
        )
        for s, pairs in shared.items()
        if s in suppliers
    ]
    out.sort(key=lambda s: (-len(s.units), -s.orders, s.supplier.name))
    return out
