"""Reads of budgets and costs: budgets with their spend (counted by the database, one query for a
whole page), the forecast to the period's end, the order lines behind a budget, and the cost
trends (price per unit of a category over time, by supplier).

Spend of a budget: the lines of the placed (not draft, not cancelled) purchase orders of its
business unit in its category and currency, ordered in its period, at quantity × agreed price —
with the price charged instead of the agreed one for the quantities delivered. It is counted
over all such orders (the budget's owner needs the whole spend); the order lines listed on the
budget's page are those the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine import periods
from accord.intelligence.engine import scorecard as engine
from accord.parties.models import Organization

from ..models import (
    Budget,
    DeliveryLine,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    SupplyCategory,
)

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=4)
NOT_PLACED = (PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.CANCELLED)
WARN_AT = Decimal("90")
FULL_AT = Decimal("100")


def _ordered_amount() -> Subquery:
    lines = (
        PurchaseOrderLine.objects.filter(
            order__business_unit=OuterRef("business_unit"),
            category=OuterRef("category"),
            order__currency=OuterRef("currency"),
            order__ordered_on__gte=OuterRef("period_start"),
            order__ordered_on__lte=OuterRef("period_end"),
        )
        .exclude(order__status__in=NOT_PLACED)
        .order_by()
        .values("category")
        .annotate(total=Sum(ExpressionWrapper(F("quantity") * F("unit_price"), output_field=MONEY)))
        .values("total")
    )
    return Subquery(lines, output_field=MONEY)


def _charged_difference() -> Subquery:
    """Σ received × (charged − agreed) over the deliveries of those lines."""
    delivered = (
        DeliveryLine.objects.filter(
            order_line__order__business_unit=OuterRef("business_unit"),
            order_line__category=OuterRef("category"),
            order_line__order__currency=OuterRef("currency"),
            order_line__order__ordered_on__gte=OuterRef("period_start"),
            order_line__order__ordered_on__lte=OuterRef("period_end"),
            unit_price_charged__isnull=False,
        )
        .exclude(order_line__order__status__in=NOT_PLACED)
        .order_by()
        .values("order_line__category")
        .annotate(
            total=Sum(
                ExpressionWrapper(
                    F("quantity_received")
                    * (F("unit_price_charged") - F("order_line__unit_price")),
                    output_field=MONEY,
                )
            )
        )
        .values("total")
    )
    return Subquery(delivered, output_field=MONEY)


def with_spend(qs: QuerySet[Budget]) -> QuerySet[Budget]:
    """Budgets annotated with `actual` (their spend, see the module docstring)."""
    return qs.annotate(
        actual=ExpressionWrapper(
            Coalesce(_ordered_amount(), Value(ZERO), output_field=MONEY)
            + Coalesce(_charged_difference(), Value(ZERO), output_field=MONEY),
            output_field=MONEY,
        )
    )


def budget_list(user: Any) -> QuerySet[Budget]:
    """Visible budgets with business unit, category, owner and team, and their spend."""
    return with_spend(
        Budget.objects.visible_to(user).select_related("business_unit", "category", "owner", "team")
    )


def business_units(user: Any) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user).filter(is_internal=True).order_by("name")


def categories() -> QuerySet[SupplyCategory]:
    return SupplyCategory.objects.order_by("name")


@dataclass(frozen=True)
class BudgetStatus:
    """A budget's spend against its amount, and the forecast to the period's end."""

    amount: Decimal
    actual: Decimal
    forecast: Decimal
    elapsed_days: int
    total_days: int

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.actual

    @property
    def used_percent(self) -> float | None:
        return engine.used_percent(self.actual, self.amount)

    @property
    def forecast_percent(self) -> float | None:
        return engine.used_percent(self.forecast, self.amount)

    @property
    def forecast_over(self) -> bool:
        return self.forecast > self.amount

    @property
    def over_warning(self) -> bool:
        """Spend reached 90 % of the budget (or there is spend on a budget of zero)."""
        used = self.used_percent
        return self.actual > 0 if used is None else used >= float(WARN_AT)

    @property
    def over_budget(self) -> bool:
        used = self.used_percent
        return self.actual > 0 if used is None else used >= float(FULL_AT)

    @property
    def flagged(self) -> bool:
        return self.forecast_over or self.over_warning


def budget_status(budget: Budget, *, today: dt.date | None = None) -> BudgetStatus:
    """The status of a budget annotated by `with_spend` (or read here when it is not)."""
    today = today or timezone.localdate()
    actual = getattr(budget, "actual", None)
    if actual is None:
        annotated = with_spend(Budget.objects.filter(pk=budget.pk))
        actual = annotated.values_list("actual", flat=True).first() if budget.pk else ZERO  # type: ignore[misc]
    actual = Decimal(str(actual or 0)).quantize(Decimal("0.01"))
    forecast = engine.run_rate_forecast(
        actual, start=budget.period_start, end=budget.period_end, today=today
    )
    return BudgetStatus(
        amount=budget.amount,
        actual=actual,
        forecast=forecast.forecast,
        elapsed_days=forecast.elapsed_days,
        total_days=forecast.total_days,
    )


def budget_lines(user: Any, budget: Budget, limit: int = 200) -> list[PurchaseOrderLine]:
    """The order lines the user may see that count towards the budget, newest order first."""
    return list(
        PurchaseOrderLine.objects.visible_to(user)
        .filter(
            order__business_unit=budget.business_unit_id,
            category=budget.category_id,
            order__currency=budget.currency,
            order__ordered_on__gte=budget.period_start,
            order__ordered_on__lte=budget.period_end,
        )
        .exclude(order__status__in=NOT_PLACED)
        .select_related("order", "order__supplier")
        .order_by("-order__ordered_on", "order_id", "line_no")[:limit]
    )


def budgets_to_check(today: dt.date) -> QuerySet[Budget]:
    """Budgets of the periods running today, with their spend and owner (for the alert job)."""
    return with_spend(
        Budget.objects.filter(period_start__lte=today, period_end__gte=today).select_related(
            "owner", "business_unit", "category"
        )
    )


# --- cost trends -----------------------------------------------------------------------------
MONTH, QUARTER = periods.MONTH, periods.QUARTER


@dataclass
class CostSeries:
    supplier_id: int
    supplier: str
    agreed: list[float | None]
    charged: list[float | None]


@dataclass
class CostTrends:
    category: SupplyCategory | None
    unit: str
    units: list[str]
    period: str
    periods: list[dt.date]
    labels: list[str]
    series: list[CostSeries]
    average_agreed: list[float | None]
    average_charged: list[float | None]

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.average_agreed + self.average_charged)


def _period_starts(kind: str, start: dt.date, end: dt.date) -> list[dt.date]:
    out, current = [], periods.period_start(kind, start)
    while current <= end:
        out.append(current)
        current = periods.next_start(kind, current)
    return out


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def cost_units(user: Any, category: Any) -> list[str]:
    """The units of the category's order lines the user may see, the most used first."""
    pk = getattr(category, "pk", category)
    rows = (
        PurchaseOrderLine.objects.visible_to(user)
        .filter(category=pk)
        .order_by()
        .values_list("unit")
        .annotate(n=Count("id"))
        .values_list("unit", "n")
    )
    return [unit for unit, _n in sorted(rows, key=lambda r: (-r[1], r[0]))]


def cost_trends(
    user: Any,
    *,
    category: SupplyCategory | None,
    supplier: Organization | None = None,
    unit: str | None = None,
    period: str = MONTH,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> CostTrends:
    """The price per unit of a category over time, by supplier: agreed (order lines, by order
    date) and charged (deliveries, by delivery date), each the quantity-weighted mean of the
    period. Only lines of one unit are compared (default: the category's most used unit); only
    lines the user may see are counted."""
    period = QUARTER if period == QUARTER else MONTH
    today = today or timezone.localdate()
    end = end or today
    if start is None:
        back = 11 if period == MONTH else 21  # twelve months, or eight quarters
        start = periods.add_months(periods.period_start(period, end), -back)
    starts = _period_starts(period, start, end)
    index = {p: i for i, p in enumerate(starts)}
    labels = [periods.period_label(period, p) for p in starts]
    units = cost_units(user, category) if category else []
    if unit is None or (unit not in units and units):
        unit = units[0] if units else ""
    empty = CostTrends(category, unit, units, period, starts, labels, [], [], [])
    if category is None or not visibility.is_authenticated(user):
        empty.average_agreed = [None] * len(starts)
        empty.average_charged = [None] * len(starts)
        return empty

    def trunc(field: str):
        return TruncQuarter(field) if period == QUARTER else TruncMonth(field)

    lines = PurchaseOrderLine.objects.visible_to(user).filter(
        category=category,
        unit=unit,
        order__ordered_on__gte=starts[0],
        order__ordered_on__lte=end,
    )
    lines = lines.exclude(order__status__in=NOT_PLACED)
    delivered = DeliveryLine.objects.visible_to(user).filter(
        order_line__category=category,
        order_line__unit=unit,
        delivery__delivered_on__gte=starts[0],
        delivery__delivered_on__lte=end,
        quantity_received__gt=0,
    )
    delivered = delivered.exclude(delivery__order__status=PurchaseOrderStatus.CANCELLED)
    if supplier is not None:
        lines = lines.filter(order__supplier=supplier)
        delivered = delivered.filter(delivery__order__supplier=supplier)

    names: dict[int, str] = {}
    sums: dict[str, dict[int, dict[int, list[Decimal]]]] = {
        "agreed": defaultdict(dict),
        "charged": defaultdict(dict),
    }
    agreed_rows = (
        lines.annotate(p=trunc("order__ordered_on"))
        .order_by()
        .values_list("order__supplier_id", "order__supplier__name", "p")
        .annotate(
            qty=Sum("quantity"),
            amount=Sum(ExpressionWrapper(F("quantity") * F("unit_price"), output_field=MONEY)),
        )
    )
    for supplier_id, name, bucket, qty, amount in agreed_rows:
        names[supplier_id] = name
        i = index.get(_as_date(bucket))
        if i is not None:
            sums["agreed"][supplier_id][i] = [Decimal(str(qty)), Decimal(str(amount))]
    charged_rows = (
        delivered.annotate(p=trunc("delivery__delivered_on"))
        .order_by()
        .values_list("delivery__order__supplier_id", "delivery__order__supplier__name", "p")
        .annotate(
            qty=Sum("quantity_received"),
            amount=Sum(
                ExpressionWrapper(
                    F("quantity_received")
                    * Coalesce(F("unit_price_charged"), F("order_line__unit_price")),
                    output_field=MONEY,
                )
            ),
        )
    )
    for supplier_id, name, bucket, qty, amount in charged_rows:
        names[supplier_id] = name
        i = index.get(_as_date(bucket))
        if i is not None:
            sums["charged"][supplier_id][i] = [Decimal(str(qty)), Decimal(str(amount))]

    def price(cell: list[Decimal] | None) -> float | None:
        if not cell or not cell[0]:
            return None
        return round(float(cell[1] / cell[0]), 4)

    series = [
        CostSeries(
            supplier_id=pk,
            supplier=names[pk],
            agreed=[price(sums["agreed"][pk].get(i)) for i in range(len(starts))],
            charged=[price(sums["charged"][pk].get(i)) for i in range(len(starts))],
        )
        for pk in sorted(names, key=lambda k: names[k].casefold())
    ]

    def average(kind: str) -> list[float | None]:
        out: list[float | None] = []
        for i in range(len(starts)):
            cells = [c[i] for c in sums[kind].values() if i in c]
            qty = sum((c[0] for c in cells), ZERO)
            amount = sum((c[1] for c in cells), ZERO)
            out.append(round(float(amount / qty), 4) if qty else None)
        return out

    return CostTrends(
        category=category,
        unit=unit,
        units=units,
        period=period,
        periods=starts,
        labels=labels,
        series=series,
        average_agreed=average("agreed"),
        average_charged=average("charged"),
    )
