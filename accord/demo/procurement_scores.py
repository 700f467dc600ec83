"""Demo budgets and supplier scores, read from the demo's purchase orders.

Run after `procurement.create_procurement` (the orders and deliveries must exist). Budgets: each
of the five internal business units × each cost category it ordered in × the last eight quarters
and the current one; a past quarter's budget is its spend divided by a random use of 62–106 %
(so about one in seven ran over), the current quarter's the run rate of the last four quarters
with a little slack — a few will be forecast to exceed it. Scores: every supplier's scorecard of
the last eight quarters, computed in bulk by the scorecard service (a few queries per quarter).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncQuarter

from accord.intelligence.engine import periods
from accord.parties.models import Organization
from accord.procurement.models import Budget, PurchaseOrderLine
from accord.procurement.selectors.scorecards import scored_supplier_ids
from accord.procurement.services.scorecards import (
    compute_scores,
    restore_scorecard_configuration,
)

from .accounts import PARTNERS

if TYPE_CHECKING:
    from .generator import Generator

QUARTERS = 8
BUYER = "sabine.krueger@accord.example"
STEP = Decimal("500")


def _round(amount: Decimal) -> Decimal:
    steps = (amount / STEP).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(steps, Decimal("1")) * STEP


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def create_procurement_scores(gen: Generator) -> None:
    rng = gen.rng("procurement-scores")
    current = periods.period_start(periods.QUARTER, gen.today)
    quarters = [periods.add_months(current, -3 * i) for i in range(QUARTERS, 0, -1)]
    units = list(Organization.objects.filter(is_internal=True).values_list("pk", flat=True))
    spend: dict[tuple[int, int], dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = (
        PurchaseOrderLine.objects.filter(
            order__business_unit__in=units,
            category__isnull=False,
            order__ordered_on__gte=quarters[0],
        )
        .exclude(order__status__in=("draft", "cancelled"))
        .annotate(q=TruncQuarter("order__ordered_on"))
        .order_by()
        .values_list("order__business_unit_id", "category_id", "q")
        .annotate(
            total=Sum(
                ExpressionWrapper(
                    F("quantity") * F("unit_price"),
                    output_field=DecimalField(max_digits=20, decimal_places=4),
                )
            )
        )
    )
    for unit_id, category_id, quarter, total in rows:
        spend[(unit_id, category_id)][_as_date(quarter)] += Decimal(str(total or 0))

    buyer = gen.users.get(BUYER)
    team = gen.teams.get(PARTNERS)
    elapsed = (gen.today - current).days + 1
    length = (periods.period_end(periods.QUARTER, current) - current).days + 1
    budgets: list[Budget] = []
    for (unit_id, category_id), by_quarter in sorted(spend.items()):
        past = [by_quarter.get(q, Decimal("0")) for q in quarters]
        for quarter, amount in zip(quarters, past, strict=True):
            if amount <= 0 and rng.random() < 0.6:
                continue
            base = amount if amount > 0 else Decimal(str(rng.randint(2, 20) * 1000))
            used = Decimal(str(rng.uniform(0.62, 1.06)))
            budgets.append(_budget(unit_id, category_id, quarter, _round(base / used)))
        recent = [a for a in past[-4:] if a > 0]
        so_far = by_quarter.get(current, Decimal("0"))
        if recent or so_far:
            average = sum(recent, Decimal("0")) / max(len(recent), 1)
            run_rate = so_far * length / max(elapsed, 1)
            expected = max(average, run_rate * Decimal("0.9"))
            slack = Decimal(str(rng.uniform(0.85, 1.3)))
            budgets.append(_budget(unit_id, category_id, current, _round(expected * slack)))
    for budget in budgets:
        budget.owner_id = buyer.pk if buyer else None
        budget.team_id = team.pk if team else None
        gen.stamp(budget, gen.days_ago(max((gen.today - budget.period_start).days + 20, 1)))
    gen.bulk(Budget, budgets)

    restore_scorecard_configuration()
    suppliers = scored_supplier_ids()
    scored = 0
    for quarter in quarters:
        scored += len(
            compute_scores(kind="quarter", start=quarter, supplier_ids=suppliers, now=gen.now)
        )
    gen.count("supplier scores", scored)


def _budget(unit_id: int, category_id: int, start: dt.date, amount: Decimal) -> Budget:
    return Budget(
        business_unit_id=unit_id,
        category_id=category_id,
        period_kind="quarter",
        period_start=start,
        period_end=periods.period_end("quarter", start),
        amount=amount,
        currency="EUR",
        notes="",
    )
