# ruff: noqa: F811  (the fixtures `users` and `api` come from factories_suppliers)
"""Purchase rules: suppliers only (blocked ones refused), lines, deliveries with over-delivery
flagged, rejects, the status following deliveries, spend and delivery facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accord.parties.models import Organization
from accord.procurement.models import PurchaseOrder
from accord.procurement.selectors import purchases as selectors
from accord.procurement.services import purchases as services

from .factories_suppliers import (
    api,  # noqa: F401
    make_category,
    make_order,
    make_profile,
    make_supplier,
    make_unit,
    users,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def _order(users, **kw):
    supplier = make_supplier(owner=users.owner, team=users.team_a)
    data = {
        "supplier": supplier,
        "ordered_on": dt.date(2025, 3, 1),
        "lines": [
            {
                "description": "Stahlblech 2 mm",
                "quantity": "100",
                "unit": "kg",
                "unit_price": "2.50",
                "delivery_date": dt.date(2025, 3, 10),
            },
            {
                "description": "Schrauben M8",
                "quantity": "500",
                "unit": "Stk",
                "unit_price": "0.10",
                "delivery_date": dt.date(2025, 3, 10),
            },
        ],
    }
    data.update(kw)
    return services.purchase_order_create(actor=users.owner, data=data)


def test_order_with_lines_and_total(users):
    order = _order(users)
    assert order.number == "PO-000001"
    assert order.owner == users.owner and order.team == users.team_a
    assert [line.line_no for line in order.lines.order_by("line_no")] == [1, 2]
    assert services.order_total(order) == Decimal("300.00")
    listed = selectors.purchase_order_list(users.owner).get(pk=order.pk)
    assert listed.total == Decimal("300")
    second = _order(users)
    assert second.number == "PO-000002"


def test_supplier_role_business_unit_and_bad_lines_refused(users):
    client = Organization.objects.create(name="Kunde AG", is_client=True, owner=users.owner)
    with pytest.raises(ValidationError) as exc:
        _order(users, supplier=client)
    assert "supplier" in exc.value.message_dict
    not_internal = make_supplier(owner=users.owner, team=users.team_a, name="Extern GmbH")
    with pytest.raises(ValidationError) as exc:
        _order(users, business_unit=not_internal)
    assert "business_unit" in exc.value.message_dict
    unit = make_unit(owner=users.owner, team=users.team_a)
    assert _order(users, business_unit=unit).business_unit == unit
    before = PurchaseOrder.objects.count()
    with pytest.raises(ValidationError) as exc:
        _order(users, lines=[{"description": "X", "quantity": "0", "unit_price": "1"}])
    assert "Line 1" in exc.value.message_dict["lines"][0]
    assert "quantity" in exc.value.message_dict["lines"][0]
    with pytest.raises(ValidationError):
        _order(users, lines=[{"description": "X", "quantity": "1", "unit_price": "-1"}])
    assert PurchaseOrder.objects.count() == before  # nothing half-written


def test_blocked_supplier_gets_no_new_orders(users):
    profile = make_profile(owner=users.owner, team=users.team_a, qualification_status="blocked")
    with pytest.raises(ValidationError) as exc:
        _order(users, supplier=profile.organization)
    assert "blocked" in exc.value.message_dict["supplier"][0]
    profile.qualification_status = "conditional"
    profile.save()
    assert _order(users, supplier=profile.organization).pk


def test_deliveries_status_over_delivery_and_rejects(users):
    order = _order(users)
    l1, l2 = order.lines.order_by("line_no")
    d1 = services.delivery_create(
        actor=users.owner,
        order=order,
        data={"delivered_on": dt.date(2025, 3, 9)},
        lines=[{"order_line": l1, "quantity_received": "60", "quantity_rejected": "5"}],
    )
    order.refresh_from_db()
    assert order.status == "partly_delivered"
    with pytest.raises(ValidationError) as exc:
        services.delivery_create(
            actor=users.owner,
            order=order,
            data={"delivered_on": dt.date(2025, 3, 12)},
            lines=[{"order_line": l1, "quantity_received": "5", "quantity_rejected": "6"}],
        )
    assert "quantity_rejected" in exc.value.message_dict
    assert order.deliveries.count() == 1
    # 45 more of line 1 (100 accepted + 0 over? 55 + 45 = 100) and 520 of line 2 (20 too many)
    d2 = services.delivery_create(
        actor=users.owner,
        order=order,
        data={"delivered_on": dt.date(2025, 3, 12), "delivery_note_number": "LS-4711"},
        lines=[
            {"order_line": l1, "quantity_received": "45"},
            {"order_line": l2, "quantity_received": "520", "unit_price_charged": "0.11"},
        ],
    )
    order.refresh_from_db()
    assert order.status == "delivered"
    flagged = {dl.order_line_id: dl for dl in d2.lines.all()}
    assert not flagged[l1.pk].is_over_delivery
    assert flagged[l2.pk].is_over_delivery
    assert "520 Stk accepted in all, 500 ordered" in flagged[l2.pk].over_delivery_note
    detail = selectors.purchase_order_detail(order)
    assert [s.open for s in detail.lines] == [Decimal("0"), Decimal("0")]
    assert detail.delivered_value == Decimal("100") * Decimal("2.50") + Decimal("520") * Decimal(
        "0.11"
    )
    facts = selectors.delivery_facts(supplier_ids=[order.supplier_id])
    assert [(f.on_time, f.days_late) for f in facts] == [(True, 0), (False, 2), (False, 2)]
    summary = selectors.summarize_deliveries(facts)
    assert summary.deliveries == 2
    assert summary.on_time_share == pytest.approx(1 / 3)
    assert summary.reject_share == pytest.approx(5 / 625)
    assert summary.over_deliveries == 1
    # deleting the first delivery: line 1 is short again, the status follows
    services.delivery_delete(actor=users.owner, instance=d1)
    order.refresh_from_db()
    assert order.status == "partly_delivered"
    services.delivery_delete(actor=users.owner, instance=d2)
    order.refresh_from_db()
    assert order.status == "ordered"


def test_delivery_refused_for_draft_and_foreign_lines(users):
    order = _order(users, status="draft")
    line = order.lines.first()
    with pytest.raises(ValidationError) as exc:
        services.delivery_create(
            actor=users.owner,
            order=order,
            data={"delivered_on": dt.date(2025, 3, 9)},
            lines=[{"order_line": line, "quantity_received": "1"}],
        )
    assert "order" in exc.value.message_dict
    other = _order(users)
    with pytest.raises(ValidationError) as exc:
        services.delivery_create(
            actor=users.owner,
            order=other,
            data={"delivered_on": dt.date(2025, 3, 9)},
            lines=[{"order_line": line, "quantity_received": "1"}],
        )
    assert "lines" in exc.value.message_dict


def test_viewer_and_other_team_cannot_write(users):
    order = _order(users)
    with pytest.raises(PermissionDenied):
        services.purchase_order_update(actor=users.other, instance=order, data={"note": "x"})
    with pytest.raises(PermissionDenied):
        services.delivery_create(
            actor=users.viewer,
            order=order,
            data={"delivered_on": dt.date(2025, 3, 9)},
            lines=[{"order_line": order.lines.first(), "quantity_received": "1"}],
        )


def test_spend_by_supplier_and_category_respects_visibility(users):
    cat = make_category("Elektronik")
    mine = make_order(
        owner=users.owner,
        team=users.team_a,
        ordered_on=dt.date(2025, 5, 1),
        lines=[{"quantity": Decimal("2"), "unit_price": Decimal("50"), "category": cat}],
    )
    theirs = make_order(
        owner=users.other,
        team=users.team_b,
        ordered_on=dt.date(2025, 5, 1),
        lines=[{"quantity": Decimal("1"), "unit_price": Decimal("70"), "category": cat}],
    )
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert selectors.spend_by_supplier(start=start, end=end) == {
        mine.supplier_id: Decimal("100"),
        theirs.supplier_id: Decimal("70"),
    }
    assert selectors.spend_by_supplier(start=start, end=end, user=users.owner) == {
        mine.supplier_id: Decimal("100")
    }
    assert selectors.spend_by_category(start=start, end=end) == {cat.pk: Decimal("170")}
    assert list(selectors.purchase_order_list(users.other)) == [theirs]
