"""Test data for quotes, orders, invoices and payments: built through the services (their rules
are what the tests are about) or directly where a test needs a state the services refuse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.commerce import services
from accord.commerce.models import Product
from accord.parties.models import Organization

LINES = [
    # 2 × 100.00 − 10 % = 180.00 at 19 %; 3 × 33.33 = 99.99 at 7 %
    {"description": "Wartung Größe L", "quantity": "2", "unit_price": "100.00", "discount": "10"},
    {"description": "Fachbuch", "quantity": "3", "unit_price": "33.33", "vat_rate": "7"},
]


def make_org(*, owner=None, team=None, name="Müller & Söhne GmbH", vat_id="") -> Organization:
    return Organization.objects.create(
        name=name,
        owner=owner,
        team=team,
        is_client=True,
        vat_id=vat_id,
        street="Industriestraße 5",
        postal_code="80331",
        city="München",
        country="DE",
    )


def make_product(**kwargs: Any) -> Product:
    values = {"name": "Filterpatrone", "sku": "FP-1", "list_price": Decimal("49.90"), **kwargs}
    return Product.objects.create(**values)


def make_quote(*, owner, team, organization=None, lines=None, **kwargs: Any):
    org = organization or make_org(owner=owner, team=team)
    return services.quote_create(
        actor=None,
        data={
            "organization": org,
            "owner": owner,
            "team": team,
            "lines": LINES if lines is None else lines,
            **kwargs,
        },
    )


def make_order(*, owner, team, organization=None, lines=None, **kwargs: Any):
    org = organization or make_org(owner=owner, team=team)
    return services.order_create(
        actor=None,
        data={
            "organization": org,
            "owner": owner,
            "team": team,
            "lines": LINES if lines is None else lines,
            **kwargs,
        },
    )


def make_invoice(*, owner, team, order=None, **kwargs: Any):
    order = order or make_order(owner=owner, team=team)
    return services.invoice_create(actor=None, data={"order": order, **kwargs})
