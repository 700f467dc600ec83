"""Orders as a source of revenue-target attainment (`pipeline.selectors.targets`).

An order counts towards a target when it is not cancelled, its date (`ordered_on`) lies in the
target's period and it is linked to no opportunity — neither itself nor through the quote it came
from: revenue won through an opportunity is counted once, as the won opportunity. Its amount is
the order's net total, the sum of its lines' net amounts each rounded to cents as
`pricing.line_net` rounds them, summed by the database. Scope and visibility are those of the
won opportunities: the order's owner and team, its organization's industry and region, and only
the orders the user may see.

The forecast counts the same orders as won revenue, per owner, team and month of their date
(`orders_per_month`, registered as the forecast's side of this source).

`register()` adds the source; the app calls it when it is ready. Pipeline imports commerce's
models (currencies), and commerce's orders point at pipeline's opportunities: registering from
here keeps pipeline's selectors free of commerce, and no import runs in a circle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from accord.pipeline.selectors.targets import (
    MonthlyAmounts,
    Scope,
    amounts_per_month,
    amounts_per_target,
    register_attainment_source,
    register_forecast_source,
)

from ..choices import OrderStatus
from ..models import Order

SOURCE_NAME = "orders"
SOURCE_LABEL = _("from orders dated in the period and not linked to an opportunity")
CENTS = DecimalField(max_digits=30, decimal_places=0)


def line_net_cents(prefix: str = "") -> Round:
    """A line's net amount in cents, as the database computes it: quantity × unit price ×
    (100 − discount %), rounded half up — `pricing.line_net` × 100 without the division, so
    that SQLite's integer arithmetic cannot truncate it."""
    gross = ExpressionWrapper(
        F(f"{prefix}quantity")
        * F(f"{prefix}unit_price")
        * (Value(Decimal("100")) - F(f"{prefix}discount")),
        output_field=DecimalField(max_digits=30, decimal_places=6),
    )
    return Round(gross, output_field=CENTS)


def net_total_cents() -> Sum:
    """The net total of a group of orders, in cents (divide by 100)."""
    return Sum(line_net_cents("lines__"), output_field=CENTS)


def counted_orders(orders: QuerySet[Order] | None = None) -> QuerySet[Order]:
    """The orders that count towards targets: not cancelled, and linked to no opportunity,
    neither directly nor through their quote."""
    qs = Order.objects.all() if orders is None else orders
    return qs.exclude(status=OrderStatus.CANCELLED).filter(
        opportunity__isnull=True, quote__opportunity__isnull=True
    )


def orders_attainment(targets: Sequence[Any], user: Any) -> dict[int, Decimal]:
    """Net order total per target (see the module docstring), among the orders `user` may see."""
    return amounts_per_target(
        targets,
        counted_orders(Order.objects.visible_to(user)),
        moment="ordered_on",
        dates=True,
        amount=net_total_cents(),
        unit=100,
    )


def orders_per_month(user: Any, scope: Scope, months: Sequence[dt.date]) -> MonthlyAmounts:
    """Net order total per (owner, team, month of `ordered_on`) for `months`, of the orders that
    count towards targets, of `scope` (owner, team, organization's industry or region), among the
    orders `user` may see: one grouped query."""
    orders = counted_orders(Order.objects.visible_to(user)).filter(scope.opportunity_q())
    return amounts_per_month(
        orders, months, moment="ordered_on", dates=True, amount=net_total_cents(), unit=100
    )


def register() -> None:
    register_attainment_source(SOURCE_NAME, SOURCE_LABEL, orders_attainment)
    register_forecast_source(SOURCE_NAME, orders_per_month)
