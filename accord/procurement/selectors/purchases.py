"""Reads of purchase orders and deliveries, under the visibility rule: the lists, one order with
its lines and deliveries, spend per supplier and the delivery facts the scorecards build on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accord.core import visibility

from ..models import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
)

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=24, decimal_places=6)
# orders that count as spend: placed, whether delivered yet or not
SPEND_STATUSES = (
    PurchaseOrderStatus.ORDERED,
    PurchaseOrderStatus.PARTLY_DELIVERED,
    PurchaseOrderStatus.DELIVERED,
)


def _line_value() -> ExpressionWrapper:
    return ExpressionWrapper(F("quantity") * F("unit_price"), output_field=MONEY)


def order_total_subquery() -> Coalesce:
    """The total of an order's lines, for annotating an order queryset (0 without lines)."""
    lines = (
        PurchaseOrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(_line_value()))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Decimal("0"), output_field=MONEY)


def purchase_order_list(user: Any) -> QuerySet[PurchaseOrder]:
    qs: QuerySet[PurchaseOrder] = PurchaseOrder.objects.visible_to(user)  # type: ignore[assignment]
    return qs.select_related("supplier", "business_unit", "owner", "team").annotate(
        total=order_total_subquery()
    )


def purchase_order_api_list(user: Any) -> QuerySet[PurchaseOrder]:
    return purchase_order_list(user).prefetch_related("lines")


def delivery_list(user: Any) -> QuerySet[Delivery]:
    return (
        Delivery.objects.visible_to(user)
        .select_related("order", "order__supplier")
        .prefetch_related("lines__order_line")
    )


def purchase_order_line_list(user: Any) -> QuerySet[PurchaseOrderLine]:
    return PurchaseOrderLine.objects.visible_to(user).select_related("order", "category")


@dataclass
class LineState:
    """One order line with what arrived of it so far."""

    line: PurchaseOrderLine
    received: Decimal
    rejected: Decimal
    accepted: Decimal
    open: Decimal
    amount: Decimal
    over_delivered: bool
    late: bool


@dataclass
class OrderDetail:
    lines: list[LineState]
    deliveries: list[Delivery]
    total: Decimal
    delivered_value: Decimal
    over_deliveries: list[DeliveryLine]


def purchase_order_detail(order: PurchaseOrder) -> OrderDetail:
    """The order's lines (with received, rejected, open quantities) and deliveries (3 queries).
    The caller has checked that the user may see the order."""
    lines = list(order.lines.select_related("category").order_by("line_no"))
    deliveries = list(
        order.deliveries.order_by("delivered_on", "id").prefetch_related("lines__order_line")
    )
    by_line: dict[int, list[DeliveryLine]] = {}
    for d in deliveries:
        for dl in d.lines.all():
            dl.delivery = d  # the prefetch knows it; avoid a query per line
            by_line.setdefault(dl.order_line_id, []).append(dl)
    states = []
    total = ZERO
    delivered_value = ZERO
    over: list[DeliveryLine] = []
    today = timezone.localdate()
    for line in lines:
        dls = by_line.get(line.pk, [])
        received = sum((dl.quantity_received for dl in dls), ZERO)
        rejected = sum((dl.quantity_rejected for dl in dls), ZERO)
        accepted = received - rejected
        for dl in dls:
            price = dl.unit_price_charged if dl.unit_price_charged is not None else line.unit_price
            delivered_value += dl.quantity_accepted * price
            if dl.is_over_delivery:
                over.append(dl)
        late = bool(
            line.delivery_date
            and (
                any(dl.delivery.delivered_on > line.delivery_date for dl in dls)
                or (accepted < line.quantity and today > line.delivery_date)
            )
        )
        states.append(
            LineState(
                line=line,
                received=received,
                rejected=rejected,
                accepted=accepted,
                open=max(line.quantity - accepted, ZERO),
                amount=line.amount,
                over_delivered=accepted > line.quantity,
                late=late,
            )
        )
        total += line.amount
    return OrderDetail(
        lines=states,
        deliveries=deliveries,
        total=total,
        delivered_value=delivered_value,
        over_deliveries=over,
    )


def spend_by_supplier(
    *,
    start: dt.date,
    end: dt.date,
    supplier_ids: Iterable[int] | None = None,
    user: Any = None,
) -> dict[int, Decimal]:
    """The ordered value per supplier (organization id) of orders placed from `start` to `end`
    (not drafts, not cancelled). With `user`: only the orders the user may see."""
    lines = PurchaseOrderLine.objects.filter(
        order__ordered_on__gte=start,
        order__ordered_on__lte=end,
        order__status__in=SPEND_STATUSES,
    )
    if user is not None:
        lines = lines.filter(visibility.visibility_q(PurchaseOrderLine, user))
    if supplier_ids is not None:
        lines = lines.filter(order__supplier_id__in=list(supplier_ids))
    rows = (
        lines.order_by()
        .values("order__supplier_id")
        .annotate(total=Sum(_line_value()))
        .values_list("order__supplier_id", "total")
    )
    return {pk: total or ZERO for pk, total in rows}


def spend_by_category(
    *, start: dt.date, end: dt.date, user: Any = None, business_unit_id: int | None = None
) -> dict[int | None, Decimal]:
    """The ordered value per supply category (None: lines without one), for budgets."""
    lines = PurchaseOrderLine.objects.filter(
        order__ordered_on__gte=start,
        order__ordered_on__lte=end,
        order__status__in=SPEND_STATUSES,
    )
    if user is not None:
        lines = lines.filter(visibility.visibility_q(PurchaseOrderLine, user))
    if business_unit_id is not None:
        lines = lines.filter(order__business_unit_id=business_unit_id)
    rows = (
        lines.order_by()
        .values("category_id")
        .annotate(total=Sum(_line_value()))
        .values_list("category_id", "total")
    )
    return {pk: total or ZERO for pk, total in rows}


@dataclass(frozen=True)
class DeliveryFact:
    """One delivery line as a fact about the supplier: on time, rejects, price deviation."""

    supplier_id: int
    order_id: int
    order_line_id: int
    delivery_id: int
    delivered_on: dt.date
    agreed_date: dt.date | None
    on_time: bool | None  # None: no agreed date
    days_late: int
    received: Decimal
    rejected: Decimal
    agreed_price: Decimal
    charged_price: Decimal
    over_delivery: bool

    @property
    def reject_rate(self) -> float:
        return float(self.rejected / self.received) if self.received else 0.0

    @property
    def price_deviation(self) -> float:
        """(charged − agreed) / agreed: 0.05 is 5 % above the agreed price."""
        if not self.agreed_price:
            return 0.0
        return float((self.charged_price - self.agreed_price) / self.agreed_price)


def delivery_facts(
    *,
    user: Any = None,
    supplier_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[DeliveryFact]:
    """Every delivery line (delivered from `start` to `end`) as a fact (one query). With `user`:
    only deliveries of orders the user may see."""
    rows = DeliveryLine.objects.all()
    if user is not None:
        rows = rows.filter(visibility.visibility_q(DeliveryLine, user))
    if supplier_ids is not None:
        rows = rows.filter(delivery__order__supplier_id__in=list(supplier_ids))
    if start is not None:
        rows = rows.filter(delivery__delivered_on__gte=start)
    if end is not None:
        rows = rows.filter(delivery__delivered_on__lte=end)
    values = rows.order_by("delivery__delivered_on", "id").values_list(
        "delivery__order__supplier_id",
        "delivery__order_id",
        "order_line_id",
        "delivery_id",
        "delivery__delivered_on",
        "order_line__delivery_date",
        "quantity_received",
        "quantity_rejected",
        "order_line__unit_price",
        "unit_price_charged",
        "is_over_delivery",
    )
    facts = []
    for (
        supplier_id,
        order_id,
        line_id,
        delivery_id,
        delivered_on,
        agreed_date,
        received,
        rejected,
        agreed_price,
        charged,
        over,
    ) in values:
        on_time = None if agreed_date is None else delivered_on <= agreed_date
        days_late = max((delivered_on - agreed_date).days, 0) if agreed_date else 0
        facts.append(
            DeliveryFact(
                supplier_id=supplier_id,
                order_id=order_id,
                order_line_id=line_id,
                delivery_id=delivery_id,
                delivered_on=delivered_on,
                agreed_date=agreed_date,
                on_time=on_time,
                days_late=days_late,
                received=received,
                rejected=rejected,
                agreed_price=agreed_price,
                charged_price=charged if charged is not None else agreed_price,
                over_delivery=over,
            )
        )
    return facts


@dataclass(frozen=True)
class DeliverySummary:
    deliveries: int
    on_time_share: float | None  # of lines with an agreed date
    reject_share: float | None  # rejected / received
    price_deviation: float | None  # weighted by received quantity
    over_deliveries: int


def summarize_deliveries(facts: Iterable[DeliveryFact]) -> DeliverySummary:
    facts = list(facts)
    dated = [f for f in facts if f.on_time is not None]
    received = sum((f.received for f in facts), ZERO)
    rejected = sum((f.rejected for f in facts), ZERO)
    agreed = sum((f.received * f.agreed_price for f in facts), ZERO)
    charged = sum((f.received * f.charged_price for f in facts), ZERO)
    return DeliverySummary(
        deliveries=len({f.delivery_id for f in facts}),
        on_time_share=(sum(1 for f in dated if f.on_time) / len(dated)) if dated else None,
        reject_share=float(rejected / received) if received else None,
        price_deviation=float((charged - agreed) / agreed) if agreed else None,
        over_deliveries=sum(1 for f in facts if f.over_delivery),
    )


def recent_orders_of_supplier(
    user: Any, organization_id: int, limit: int = 5
) -> list[PurchaseOrder]:
    return list(
        purchase_order_list(user)
        .filter(supplier_id=organization_id)
        .order_by("-ordered_on", "-id")[:limit]
    )


def order_choices_by_number(user: Any, numbers: Iterable[str]) -> dict[str, PurchaseOrder]:
    return {
        o.number: o
        for o in PurchaseOrder.objects.visible_to(user).filter(number__in=list(set(numbers)))
    }
