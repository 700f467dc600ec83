"""Test data for suppliers and purchases, built directly (as fixtures); fixtures `users`, `api`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.testing import make_users
from accord.parties.models import Organization
from accord.procurement.models import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    QualificationQuestion,
    SupplierDocument,
    SupplierProfile,
    SupplyCategory,
)

_numbers = iter(range(1, 10**6))


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(PurchaseOrder, SupplierProfile, Organization)
    return make_users()


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def make_supplier(*, owner=None, team=None, name: str = "Stahlbau Krüger GmbH", **kw: Any):
    values = {"is_supplier": True}
    values.update(kw)
    return Organization.objects.create(name=name, owner=owner, team=team, **values)


def make_unit(*, owner=None, team=None, name: str = "Werk Nord") -> Organization:
    return Organization.objects.create(name=name, owner=owner, team=team, is_internal=True)


def make_category(name: str = "Rohstoffe", **kw: Any) -> SupplyCategory:
    return SupplyCategory.objects.get_or_create(name=name, defaults=kw)[0]


def make_question(text: str = "ISO 9001 zertifiziert?", **kw: Any) -> QualificationQuestion:
    return QualificationQuestion.objects.create(text=text, **kw)


def make_profile(*, owner=None, team=None, organization=None, **kw: Any) -> SupplierProfile:
    org = organization or make_supplier(
        owner=owner, team=team, name=f"Lieferant {next(_numbers)} GmbH"
    )
    return SupplierProfile.objects.create(
        organization=org, name=org.name, owner=owner, team=team, **kw
    )


def make_document(profile: SupplierProfile, **kw: Any) -> SupplierDocument:
    values = {"title": "ISO 9001:2015", "kind": "certificate"}
    values.update(kw)
    return SupplierDocument.objects.create(profile=profile, **values)


def make_order(
    *,
    owner=None,
    team=None,
    supplier=None,
    lines: list[dict[str, Any]] | None = None,
    **kw: Any,
) -> PurchaseOrder:
    supplier = supplier or make_supplier(
        owner=owner, team=team, name=f"Lieferant {next(_numbers)} AG"
    )
    values = {
        "number": f"PO-T{next(_numbers):05d}",
        "ordered_on": dt.date(2025, 3, 1),
        "status": "ordered",
    }
    values.update(kw)
    order = PurchaseOrder.objects.create(supplier=supplier, owner=owner, team=team, **values)
    for i, line in enumerate(
        lines
        if lines is not None
        else [{"quantity": Decimal("10"), "unit_price": Decimal("5.00")}],
        start=1,
    ):
        data = {
            "line_no": i,
            "description": f"Position {i}",
            "delivery_date": dt.date(2025, 3, 15),
        }
        data.update(line)
        PurchaseOrderLine.objects.create(order=order, **data)
    return order


def make_delivery(order: PurchaseOrder, *, delivered_on: dt.date, lines: list[tuple]) -> Delivery:
    """`lines`: (order line, received, rejected, price charged or None)."""
    delivery = Delivery.objects.create(order=order, delivered_on=delivered_on)
    for line, received, rejected, price in lines:
        DeliveryLine.objects.create(
            delivery=delivery,
            order_line=line,
            quantity_received=Decimal(str(received)),
            quantity_rejected=Decimal(str(rejected)),
            unit_price_charged=None if price is None else Decimal(str(price)),
        )
    return delivery
