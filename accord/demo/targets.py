"""Demo revenue targets: set so that the demo's attainment reaches 70–120 % of them.

Read after `sales.create_sales` and `commerce.create_commerce` (the opportunities and orders must
exist): the revenue per quarter that attainment counts — won opportunities, and orders not linked
to an opportunity (`commerce.selectors.attainment`) — is summed per company, team, owner and
industry in one query per source, and each target is that amount divided
by a random attainment between 0.7 and 1.2, rounded to 5,000. The current quarter (not over yet)
gets the average of the last four quarters plus a little growth, and the current year the sum of
its quarters. Targets: the company for the last eight quarters, the current one and the year;
each team and each sales member (role member) with won deals for the same quarters; the two
industries with the most won revenue for the last four quarters and the current one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.db.models.functions import TruncQuarter

from accord.commerce.selectors.attainment import counted_orders, net_total_cents
from accord.intelligence.engine import periods
from accord.pipeline.choices import PeriodKind, StageKind, TargetScope
from accord.pipeline.models import Opportunity, RevenueTarget
from accord.pipeline.selectors.targets import Scope, company_zone
from accord.users.choices import Role

if TYPE_CHECKING:
    from .generator import Generator

PAST_QUARTERS = 8
INDUSTRY_QUARTERS = 4
STEP = Decimal("5000")


def _round(amount: Decimal) -> Decimal:
    steps = (amount / STEP).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(steps, Decimal("1")) * STEP


def create_targets(gen: Generator) -> None:
    rng = gen.rng("targets")
    current = periods.period_start(PeriodKind.QUARTER, gen.today)
    quarters = [periods.add_months(current, -3 * i) for i in range(PAST_QUARTERS, 0, -1)]
    since = dt.datetime.combine(quarters[0], dt.time.min, tzinfo=company_zone())
    rows = (
        Opportunity.objects.filter(stage__kind=StageKind.WON, closed_at__gte=since)
        .annotate(quarter=TruncQuarter("closed_at", tzinfo=company_zone()))
        .values("quarter", "owner_id", "team_id", "organization__industry")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    won: dict[str, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        quarter = row["quarter"]
        if isinstance(quarter, dt.datetime):
            quarter = quarter.astimezone(company_zone()).date()
        amount = Decimal(row["total"] or 0)
        keys = ["company", f"team:{row['team_id']}", f"user:{row['owner_id']}"]
        keys.append(f"industry:{row['organization__industry']}")
        for key in keys:
            won[key][quarter] += amount
    orders = (
        counted_orders()
        .filter(ordered_on__gte=quarters[0])
        .annotate(quarter=TruncQuarter("ordered_on"))
        .values("quarter", "owner_id", "team_id", "organization__industry")
        .annotate(total=net_total_cents())
        .order_by()
    )
    for row in orders:
        amount = Decimal(row["total"] or 0) / 100
        keys = ["company", f"team:{row['team_id']}", f"user:{row['owner_id']}"]
        keys.append(f"industry:{row['organization__industry']}")
        for key in keys:
            won[key][row["quarter"]] += amount

    manager = gen.users.get("manager@accord.example")
    author = manager.pk if manager else None
    sales_members = {u.pk for u in gen.users.values() if u.role == Role.MEMBER}
    targets: list[RevenueTarget] = []

    def add(scope: Scope, kind: str, start: dt.date, amount: Decimal, note: str = "") -> None:
        target = RevenueTarget(
            period_kind=kind,
            period_start=start,
            scope=scope.kind,
            user_id=scope.user_id,
            team_id=scope.team_id,
            industry=scope.industry,
            region=scope.region,
            scope_key=scope.key,
            amount=amount,
            currency="EUR",
            notes=note,
        )
        gen.stamp(target, gen.days_ago((gen.today - start).days + 14), author)
        targets.append(target)

    def quarterly(scope: Scope, history: dict[dt.date, Decimal], past: list[dt.date]) -> None:
        amounts = []
        for start in past:
            reached = history.get(start, Decimal(0))
            if reached <= 0:
                continue
            amount = _round(reached / Decimal(str(rng.uniform(0.7, 1.2))))
            amounts.append(amount)
            add(scope, PeriodKind.QUARTER, start, amount)
        if amounts:
            recent = amounts[-4:]
            growth = Decimal(str(rng.uniform(1.0, 1.1)))
            add(scope, PeriodKind.QUARTER, current, _round(sum(recent) / len(recent) * growth))

    quarterly(Scope(), won["company"], quarters)
    company = {t.period_start: t.amount for t in targets}
    if company:
        year = periods.period_start(PeriodKind.YEAR, gen.today)
        this_year = [periods.add_months(year, 3 * i) for i in range(4)]
        expected = company[current]
        total = sum((company.get(q, expected) for q in this_year), Decimal(0))
        add(Scope(), PeriodKind.YEAR, year, _round(total), "Jahresziel Gesamtumsatz")

    for key, history in sorted(won.items()):
        kind, _sep, ident = key.partition(":")
        if kind == "team" and ident != "None":
            quarterly(Scope(kind=TargetScope.TEAM, team_id=int(ident)), history, quarters)
        elif kind == "user" and ident != "None" and int(ident) in sales_members:
            quarterly(Scope(kind=TargetScope.USER, user_id=int(ident)), history, quarters)

    industries = sorted(
        (
            (sum(h.values(), Decimal(0)), key.split(":", 1)[1])
            for key, h in won.items()
            if key.startswith("industry:") and key != "industry:"
        ),
        reverse=True,
    )
    for _total, industry in industries[:2]:
        scope = Scope(kind=TargetScope.INDUSTRY, industry=industry)
        quarterly(scope, won[f"industry:{industry}"], quarters[-INDUSTRY_QUARTERS:])

    gen.bulk(RevenueTarget, targets)
