"""Reads of revenue targets: who sees which target, and how much of each was reached.

Visibility: admins and managers see every target; members and viewers see the company's, the
segments' (industry, region), their own and their teams' targets.

Periods are counted in the company's time zone (the `TIME_ZONE` setting, e.g. Europe/Berlin): a
deal closed at 23:30 on 31 March in Berlin belongs to the first quarter, whatever the time in UTC
or in the zone of the user looking at the page. A record dated by a calendar day (an order's
`ordered_on`) belongs to the period of that day.

Attainment adds up *sources*, each counting only the records the user may see, of the target's
scope (owner, team, the organization's industry or region), in the target's period:

* won opportunities: the amount of the opportunities in a won stage closed in the period (here);
* orders: the net total of the orders dated in the period that are not cancelled and not linked
  to an opportunity, neither directly nor through their quote — an order won through an
  opportunity counts once, as that opportunity (`commerce.selectors.attainment`).

A source is a function (targets, user) → {target id: amount}; `ATTAINMENT_SOURCES` lists them,
and an app adds its own with `register_attainment_source` from its `AppConfig.ready()`, so that
pipeline imports none of them. Amounts in different currencies are added as they are (no
exchange rates), as in the forecast.

The forecast counts the same sources as won revenue: won opportunities it reads itself, together
with the open pipeline; every other source gives it a function (user, scope, months) → {(owner
id, team id, month): amount}, registered under the source's name with `register_forecast_source`
(`FORECAST_SOURCES`; `amounts_per_month` is what such a function shares with the others).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Aggregate, Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from accord.core import visibility
from accord.core.timezones import company_zone
from accord.intelligence.engine import periods

from ..choices import StageKind, TargetScope
from ..models import Opportunity, RevenueTarget, Stage

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def period_range(kind: str, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first moment, first moment of the next period) in the company's zone."""
    zone = company_zone()
    end = periods.next_start(kind, start)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end, dt.time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class Scope:
    """Whose revenue: the company, one user (as owner), one team, an industry or a region
    (of the opportunity's organization)."""

    kind: str = TargetScope.COMPANY
    user_id: int | None = None
    team_id: int | None = None
    industry: str = ""
    region: str = ""

    @classmethod
    def of(cls, target: RevenueTarget) -> Scope:
        return cls(
            kind=target.scope,
            user_id=target.user_id,
            team_id=target.team_id,
            industry=target.industry or "",
            region=target.region or "",
        )

    @property
    def key(self) -> str:
        """The target's `scope_key` for this scope."""
        if self.kind == TargetScope.USER:
            return f"user:{self.user_id}"
        if self.kind == TargetScope.TEAM:
            return f"team:{self.team_id}"
        if self.kind == TargetScope.INDUSTRY:
            return f"industry:{self.industry}"
        if self.kind == TargetScope.REGION:
            return f"region:{self.region}"
        return "company"

    def opportunity_q(self, prefix: str = "") -> Q:
        """Opportunities of this scope (or other records with an owner, a team and an
        organization, such as orders)."""
        if self.kind == TargetScope.USER:
            return Q(**{f"{prefix}owner_id": self.user_id})
        if self.kind == TargetScope.TEAM:
            return Q(**{f"{prefix}team_id": self.team_id})
        if self.kind == TargetScope.INDUSTRY:
            return Q(**{f"{prefix}organization__industry": self.industry})
        if self.kind == TargetScope.REGION:
            return Q(**{f"{prefix}organization__region__iexact": self.region})
        return Q()


def target_list(user: Any) -> QuerySet[RevenueTarget]:
    """The targets `user` may see (see the module docstring)."""
    qs = RevenueTarget.objects.select_related("user", "team")
    if not visibility.is_authenticated(user):
        return qs.none()
    if visibility.sees_everything(user):
        return qs
    return qs.filter(
        Q(scope__in=[TargetScope.COMPANY, TargetScope.INDUSTRY, TargetScope.REGION])
        | Q(scope=TargetScope.USER, user=user)
        | Q(scope=TargetScope.TEAM, team_id__in=visibility.team_ids(user))
    )


def may_manage_targets(user: Any) -> bool:
    """Targets are set by managers and administrators; everyone else reads them."""
    return visibility.sees_everything(user)


def period_choices() -> list[tuple[str, str]]:
    """The periods that have targets, newest first, as ("quarter:2025-04-01", "Q2 2025")."""
    rows = (
        RevenueTarget.objects.order_by("-period_start", "period_kind")
        .values_list("period_kind", "period_start")
        .distinct()
    )
    return [
        (f"{kind}:{start.isoformat()}", period_label(kind, start)) for kind, start in rows[:200]
    ]


def period_label(kind: str, start: dt.date) -> str:
    return periods.period_label(kind, start)


# --- attainment ---------------------------------------------------------------------------
AttainmentSource = Callable[[Sequence[RevenueTarget], Any], dict[int, Decimal]]


def month_starts(first: dt.date, until: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s month up to (not including) `until`'s."""
    months: list[dt.date] = []
    month = first.replace(day=1)
    while month < until:
        months.append(month)
        month = periods.add_months(month, 1)
    return months


def month_bucket(
    months: Sequence[dt.date], field_name: str = "closed_at", *, dates: bool = False
) -> Case:
    """The index in `months` (consecutive first days) of the month a moment falls in, in the
    company's zone (-1 after the last month; moments before the first count to the first). The
    boundaries are computed here (time zone and summer time included) and compared by the
    database: the same on SQLite and PostgreSQL, and no Python function per row as `TruncMonth`
    needs on SQLite. The comparisons nest as a binary search, so each row costs about log2(n) of
    them instead of up to n (36 months: 6 instead of 18 on average). With `dates` the field holds
    calendar days, and the boundaries are the first days themselves (a day has no zone)."""
    zone = company_zone()

    def boundary(i: int) -> dt.date | dt.datetime:  # the start of months[i] == end of months[i-1]
        first = months[i] if i < len(months) else periods.add_months(months[-1], 1)
        return first if dates else dt.datetime.combine(first, dt.time.min, tzinfo=zone)

    def search(lo: int, hi: int) -> Any:  # the index in [lo, hi), the moment before boundary(hi)
        if hi - lo == 1:
            return Value(lo)
        mid = (lo + hi) // 2
        return Case(
            When(**{f"{field_name}__lt": boundary(mid)}, then=search(lo, mid)),
            default=search(mid, hi),
            output_field=IntegerField(),
        )

    return Case(
        When(**{f"{field_name}__gte": boundary(len(months))}, then=Value(-1)),
        default=search(0, len(months)),
        output_field=IntegerField(),
    )


def amounts_per_target(
    targets: Sequence[RevenueTarget],
    rows: QuerySet[Any],
    *,
    moment: str,
    amount: Aggregate,
    dates: bool = False,
    unit: int = 1,
) -> dict[int, Decimal]:
    """What every source shares: the amount of `rows` per target, by the target's period and
    scope.

    `rows` are the records the source counts, already limited to those the user may see; their
    model has `owner`, `team` and `organization` (whose industry and region the segment targets
    count). `moment` names the field that places a record in a month (a time in the company's
    zone, or with `dates` a calendar day); `amount` is the aggregate of a group of rows, in
    1/`unit` of the currency (100: cents). The amounts are summed per month, owner and team (and,
    when a segment target is among them, industry and region) in one query, whatever the number
    of targets; each target then adds up the months of its period."""
    if not targets:
        return {}
    first = min(t.period_start for t in targets)
    until = max(periods.next_start(t.period_kind, t.period_start) for t in targets)
    months = month_starts(first, until)
    index = {m: i for i, m in enumerate(months)}
    if dates:
        since, before = months[0], periods.add_months(months[-1], 1)
    else:
        since = period_range("month", months[0])[0]
        before = period_range("month", months[-1])[1]
    counted = (
        rows.filter(**{f"{moment}__gte": since, f"{moment}__lt": before})
        .annotate(month=month_bucket(months, moment, dates=dates))
        .order_by()
    )
    dims = ["month", "owner_id", "team_id"]
    if any(t.scope in (TargetScope.INDUSTRY, TargetScope.REGION) for t in targets):
        dims += ["organization__industry", "organization__region"]
    sums: dict[tuple[str, Any, int], Decimal] = defaultdict(Decimal)
    for row in counted.values(*dims).annotate(total=amount):
        month, value = row["month"], Decimal(row["total"] or 0) / unit
        sums[("company", None, month)] += value
        sums[("user", row["owner_id"], month)] += value
        sums[("team", row["team_id"], month)] += value
        if "organization__industry" in row:
            sums[("industry", row["organization__industry"], month)] += value
            region = (row["organization__region"] or "").casefold()
            sums[("region", region, month)] += value
    out: dict[int, Decimal] = {}
    for t in targets:
        keys: dict[str, Any] = {
            TargetScope.USER: t.user_id,
            TargetScope.TEAM: t.team_id,
            TargetScope.INDUSTRY: t.industry,
            TargetScope.REGION: t.region.casefold(),
        }
        key = keys.get(t.scope)
        kind = t.scope if t.scope in TargetScope.values else "company"
        months_of = periods.months_of(t.period_kind, t.period_start)
        total = sum((sums.get((kind, key, index[m]), ZERO) for m in months_of), ZERO)
        out[t.pk] = total.quantize(ZERO)
    return out


def won_opportunities(targets: Sequence[RevenueTarget], user: Any) -> dict[int, Decimal]:
    """Won amount per target: opportunities in a won stage whose `closed_at` lies in the target's
    period, of the target's scope, among those `user` may see."""
    won = Opportunity.objects.visible_to(user).filter(
        stage_id__in=Stage.objects.filter(kind=StageKind.WON).values("pk")
    )
    return amounts_per_target(targets, won, moment="closed_at", amount=Sum("amount"))


ATTAINMENT_SOURCES: list[tuple[str, Any, AttainmentSource]] = [
    ("won_opportunities", _("from won opportunities closed in the period"), won_opportunities),
]


def register_attainment_source(name: str, label: Any, source: AttainmentSource) -> None:
    """Add a source of attainment, or replace the one registered under `name` (so that calling
    it again, as `ready()` may be, changes nothing). `label` completes "counted …" ("from orders
    …"); apps call this from their `AppConfig.ready()`."""
    entry = (name, label, source)
    for i, (known, _label, _source) in enumerate(ATTAINMENT_SOURCES):
        if known == name:
            ATTAINMENT_SOURCES[i] = entry
            return
    ATTAINMENT_SOURCES.append(entry)


# --- the same sources in the forecast ---------------------------------------------------------
MonthlyAmounts = dict[tuple[Any, Any, dt.date], Decimal]  # (owner id, team id, month) → amount
ForecastSource = Callable[[Any, Scope, Sequence[dt.date]], MonthlyAmounts]
FORECAST_SOURCES: dict[str, ForecastSource] = {}


def register_forecast_source(name: str, source: ForecastSource) -> None:
    """The forecast's side of the attainment source registered under `name`: `source(user,
    scope, months)` gives the amount per owner, team and month of the records of `scope` that
    `user` may see, for `months` (first days, ascending, not necessarily consecutive), counted as
    the attainment source counts them. Registering `name` again replaces it."""
    FORECAST_SOURCES[name] = source


def months_q(field_name: str, months: Sequence[dt.date], *, dates: bool = False) -> Q:
    """Records whose `field_name` lies in one of `months` (first days, ascending): one range per
    run of consecutive months, in the company's zone (with `dates`, calendar days)."""
    runs: list[list[dt.date]] = []
    for month in months:
        if runs and periods.add_months(runs[-1][1], 1) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    q = Q()
    for first, last in runs:
        since: dt.date | dt.datetime = first
        before: dt.date | dt.datetime = periods.add_months(last, 1)
        if not dates:
            since, before = period_range("month", first)[0], period_range("month", last)[1]
        q |= Q(**{f"{field_name}__gte": since, f"{field_name}__lt": before})
    return q


def amounts_per_month(
    rows: QuerySet[Any],
    months: Sequence[dt.date],
    *,
    moment: str,
    amount: Aggregate,
    dates: bool = False,
    unit: int = 1,
) -> MonthlyAmounts:
    """The amount of `rows` per (owner id, team id, month) for `months` (first days), in one
    grouped query: `rows`, `moment`, `dates`, `amount` and `unit` as for `amounts_per_target`
    (the records already of the scope and limited to those the user may see)."""
    wanted = sorted(set(months))
    if not wanted:
        return {}
    span = month_starts(wanted[0], periods.add_months(wanted[-1], 1))
    counted = (
        rows.filter(months_q(moment, wanted, dates=dates))
        .annotate(month=month_bucket(span, moment, dates=dates))
        .order_by()
        .values("month", "owner_id", "team_id")
        .annotate(total=amount)
    )
    out: MonthlyAmounts = defaultdict(Decimal)
    for row in counted:
        if row["month"] >= 0:
            key = (row["owner_id"], row["team_id"], span[row["month"]])
            out[key] += Decimal(row["total"] or 0) / unit
    return dict(out)


@dataclass(frozen=True)
class Attainment:
    """How much of a target was reached, in total and per source."""

    reached: Decimal
    percent: Decimal | None  # None for a target of zero
    by_source: dict[str, Decimal] = field(default_factory=dict)


def attainment(targets: Iterable[RevenueTarget], user: Any) -> dict[int, Attainment]:
    """Attainment of each target (as `user` may see the underlying records)."""
    targets = [t for t in targets if t.pk is not None]
    if not targets:
        return {}
    per_source = {name: source(targets, user) for name, _label, source in ATTAINMENT_SOURCES}
    out: dict[int, Attainment] = {}
    for t in targets:
        by_source = {name: amounts.get(t.pk, ZERO) for name, amounts in per_source.items()}
        reached = sum(by_source.values(), ZERO)
        percent = (
            (reached * HUNDRED / t.amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if t.amount
            else None
        )
        out[t.pk] = Attainment(reached=reached, percent=percent, by_source=by_source)
    return out


def attainment_sources_label(only: Iterable[str] | None = None) -> str:
    """The sources as words for a sentence ("from won opportunities … and from orders …");
    `only` keeps the named ones (the forecast names those it counts)."""
    keep = None if only is None else set(only)
    labels: list[Any] = [
        str(label) for name, label, _source in ATTAINMENT_SOURCES if keep is None or name in keep
    ]
    return str(get_text_list(labels, _("and")))


@dataclass(frozen=True)
class SourceShare:
    """One source's part of a target's attainment, with its label."""

    name: str
    label: str
    amount: Decimal


def source_shares(found: Attainment | None) -> list[SourceShare]:
    """The parts of `found` by source, in the order the sources are registered."""
    if found is None:
        return []
    return [
        SourceShare(name, str(label), found.by_source.get(name, ZERO))
        for name, label, _source in ATTAINMENT_SOURCES
    ]
