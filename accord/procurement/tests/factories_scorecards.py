"""Test data for scorecards and budgets: suppliers, business units, orders, deliveries, mails and
follow-ups built directly (as fixtures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.intelligence.engine import periods
from accord.interactions.models import (
    FollowUp,
    Interaction,
    InteractionOrganization,
    InteractionPerson,
)
from accord.parties.models import Organization, Person, Position
from accord.procurement.models import (
    Budget,
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierProfile,
    SupplyCategory,
)

_numbers = iter(range(1, 10**6))


def category(name: str = "Elektronik") -> SupplyCategory:
    return SupplyCategory.objects.get_or_create(name=name)[0]


def supplier(
    *, name: str = "Kabelwerk Süd GmbH", owner=None, team=None, categories=()
) -> Organization:
    org = Organization.objects.create(name=name, is_supplier=True, owner=owner, team=team)
    profile = SupplierProfile.objects.create(organization=org, owner=owner, team=team)
    if categories:
        profile.categories.set(categories)
    return org


def unit(*, name: str = "Werk Augsburg", owner=None, team=None) -> Organization:
    return Organization.objects.create(name=name, is_internal=True, owner=owner, team=team)


def order(
    *,
    supplier: Organization,
    ordered_on: dt.date,
    lines: list[dict[str, Any]],
    business_unit: Organization | None = None,
    status: str = "ordered",
    owner=None,
    team=None,
    currency: str = "EUR",
) -> PurchaseOrder:
    po = PurchaseOrder.objects.create(
        number=f"PO-T-{next(_numbers)}",
        supplier=supplier,
        business_unit=business_unit,
        ordered_on=ordered_on,
        status=status,
        owner=owner,
        team=team,
        currency=currency,
    )
    for no, line in enumerate(lines, start=1):
        values = {"description": "Position", "unit": "Stk", **line}
        values["quantity"] = Decimal(str(values["quantity"]))
        values["unit_price"] = Decimal(str(values["unit_price"]))
        PurchaseOrderLine.objects.create(order=po, line_no=no, **values)
    return po


def deliver(
    po: PurchaseOrder,
    *,
    on: dt.date,
    lines: list[tuple[int, Any, Any, Any]],
) -> Delivery:
    """`lines`: (line_no, received, rejected, charged price or None)."""
    delivery = Delivery.objects.create(order=po, delivered_on=on)
    for line_no, received, rejected, charged in lines:
        DeliveryLine.objects.create(
            delivery=delivery,
            order_line=po.lines.get(line_no=line_no),
            quantity_received=Decimal(str(received)),
            quantity_rejected=Decimal(str(rejected)),
            unit_price_charged=None if charged is None else Decimal(str(charged)),
        )
    return delivery


def mail(
    *,
    organization: Organization | None = None,
    person: Person | None = None,
    at: dt.datetime,
    direction: str = "outbound",
    kind: str = "email",
) -> Interaction:
    interaction = Interaction.objects.create(
        kind=kind, direction=direction, subject="Anfrage", occurred_at=at
    )
    if organization is not None:
        InteractionOrganization.objects.create(
            interaction=interaction, organization=organization, occurred_at=at
        )
    if person is not None:
        InteractionPerson.objects.create(interaction=interaction, person=person, occurred_at=at)
    return interaction


def contact(organization: Organization, last_name: str = "Wagner") -> Person:
    person = Person.objects.create(first_name="Jonas", last_name=last_name)
    Position.objects.create(person=person, organization=organization, title="Vertrieb")
    return person


def follow_up(*, organization: Organization, assignee, status: str = "open") -> FollowUp:
    return FollowUp.objects.create(
        title="Reklamation klären",
        due_date=timezone.localdate(),
        assignee=assignee,
        organization=organization,
        status=status,
    )


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def budget(
    *,
    business_unit: Organization,
    category: SupplyCategory,
    start: dt.date,
    amount: Any,
    kind: str = "quarter",
    owner=None,
    team=None,
) -> Budget:
    return Budget.objects.create(
        business_unit=business_unit,
        category=category,
        period_kind=kind,
        period_start=start,
        period_end=periods.period_end(kind, start),
        amount=Decimal(str(amount)),
        owner=owner,
        team=team,
    )
