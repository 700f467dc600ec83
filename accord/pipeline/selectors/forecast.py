"""The forecast of one period for one scope, and what it takes to reach its target.

Everything is read with a few aggregate queries (GROUP BY owner and team, GROUP BY month), never
by walking opportunities in Python, and only over the opportunities (and the other sources'
records) the user may see. The period's figures are read live on every call; what only changes
with closed days and months (the rates of the history window, which ends at midnight today, and
the won revenue per complete month) is kept in Django's cache for ten minutes per viewer, scope
and day: at 100,000 opportunities that part costs a scan of the table, the live part only the
period's deals. Every other source of won revenue (orders) adds one grouped query to each part.

Figures, each against the scope's target for the period:

* **won**: what the target's attainment counts (`selectors.targets`): opportunities in a won stage
  with `closed_at` in the period, plus every other registered source (`FORECAST_SOURCES`: the
  orders not linked to an opportunity, by their date), of the same scope and visibility — the
  forecast and the target agree on "won". The number of won deals, the rates and the average deal
  of what it takes count opportunities only;
* **committed**: won + open opportunities expected to close in the period whose stage is at or
  beyond the pipeline's commit stage — "at or beyond" means a stage order ≥ the lowest order of
  the pipeline's stages marked `is_commit` (a pipeline without a commit stage commits nothing);
* **best case**: won + every open opportunity expected to close in the period;
* **pipeline-weighted**: won + Σ amount × probability ÷ 100 of those open opportunities;
* **run-rate**: the statistical forecast (`intelligence.engine.forecast`) of won revenue (all
  sources) per month, fitted on up to 36 complete months before this one: completed months of
  the period count as won, this month as won so far plus the forecast for the part still to
  come, later months as forecast; never less than what is won already.

Open opportunities whose expected close date lies before the period are not counted (overdue
deals of an earlier period). Periods and months are counted in the company's time zone (see
`selectors.targets`). Amounts in different currencies are added as they are (no exchange rates).

What it takes (per owner, per team and for the scope), from a history window of the last
`window_months` (12) months up to yesterday: win rate (won ÷ closed, by count), average won
deal, average cycle (created → closed of won deals, days), meetings per opportunity, and
opportunities created per period. Meetings per opportunity = interactions of kind meeting or visit linked to an
organization, in the window, ÷ opportunities created in the window, per owner: a measure of the
meeting effort behind each new opportunity (it counts follow-up meetings too, so it errs towards
more meetings, not fewer). An owner or team with fewer than `MIN_CLOSED` closed deals borrows the
scope's rates (marked). The formulas are in `intelligence.engine.what_it_takes`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine import forecast as engine
from accord.intelligence.engine import periods
from accord.intelligence.engine import what_it_takes as wit
from accord.interactions.choices import InteractionKind
from accord.interactions.models import Interaction, InteractionOrganization
from accord.parties.models import Organization
from accord.parties.selectors import filter_choices

from ..choices import StageKind, TargetScope
from ..models import Opportunity, RevenueTarget, Stage
from .targets import (
    FORECAST_SOURCES,
    ZERO,
    Scope,
    company_zone,
    month_bucket,
    month_starts,
    target_list,
)

HISTORY_MONTHS = 36
WINDOW_MONTHS = 12
MIN_CLOSED = 5
HISTORY_CACHE_SECONDS = 600
MEETING_KINDS = (InteractionKind.MEETING, InteractionKind.VISIT)
BASES = ("weighted", "committed")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=2)


@dataclass(frozen=True)
class StageSets:
    won: frozenset[int]
    lost: frozenset[int]
    open: frozenset[int]
    commit: frozenset[int]


def stage_sets() -> StageSets:
    """Stage ids by kind, and the commit stages: open stages at or beyond the pipeline's lowest
    commit stage (by order)."""
    rows = list(Stage.objects.values_list("id", "pipeline_id", "order", "kind", "is_commit"))
    lowest: dict[int, int] = {}
    for _id, pipeline, order, kind, is_commit in rows:
        if is_commit and kind == StageKind.OPEN:
            lowest[pipeline] = min(order, lowest.get(pipeline, order))
    commit = {
        i
        for i, pipeline, order, kind, _c in rows
        if kind == StageKind.OPEN and pipeline in lowest and order >= lowest[pipeline]
    }
    return StageSets(
        won=frozenset(i for i, _p, _o, k, _c in rows if k == StageKind.WON),
        lost=frozenset(i for i, _p, _o, k, _c in rows if k == StageKind.LOST),
        open=frozenset(i for i, _p, _o, k, _c in rows if k == StageKind.OPEN),
        commit=frozenset(commit),
    )


@dataclass(frozen=True)
class ForecastRequest:
    period_kind: str
    period_start: dt.date
    scope: Scope = field(default_factory=Scope)
    basis: str = "weighted"  # what the gap subtracts: "weighted" or "committed" open pipeline
    window_months: int = WINDOW_MONTHS


@dataclass
class Figure:
    """One forecast figure against the target."""

    key: str
    amount: Decimal
    target: Decimal | None
    lower: Decimal | None = None
    upper: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        return None if self.target is None else self.target - self.amount

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.amount * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class MonthPoint:
    month: dt.date
    won: Decimal | None
    forecast: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    target_share: Decimal | None = None  # the period's target spread evenly over its months
    partial: bool = False  # the current month: won so far


@dataclass
class Row:
    """One line of the what-it-takes table (an owner, a team, or the whole scope)."""

    kind: str  # "owner", "team", "total"
    key: int | None
    label: str
    target: Decimal | None
    won: Decimal
    committed_open: Decimal
    weighted_open: Decimal
    counted: Decimal  # the open pipeline the gap subtracts (weighted or committed)
    rates: wit.Rates
    borrowed: bool  # too little history of its own: the scope's rates are used
    result: wit.WhatItTakes


@dataclass
class Forecast:
    request: ForecastRequest
    period_end: dt.date
    period_label: str
    today: dt.date
    window_start: dt.date
    target: RevenueTarget | None
    won_count: int
    open_count: int
    figures: dict[str, Figure]
    run_rate: engine.MonthlyForecast | None
    months: list[MonthPoint]
    total: Row
    owners: list[Row]
    teams: list[Row]
    sees_everything: bool

    @property
    def period_over(self) -> bool:
        return self.period_end < self.today


# --- reading --------------------------------------------------------------------------------
def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=company_zone())


def _months_ago(day: dt.date, months: int) -> dt.date:
    first = periods.add_months(day, -months)
    last_day = (periods.add_months(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))


def visible_opportunities(user: Any, scope: Scope) -> QuerySet[Opportunity]:
    return Opportunity.objects.visible_to(user).filter(scope.opportunity_q()).order_by()


class _Days(Func):
    """A moment as a number of days (fractional), computed by the database itself: the
    difference of two is a duration in days (SQLite `julianday`, PostgreSQL epoch ÷ 86,400).
    Django's own datetime subtraction calls a Python function per row on SQLite."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="julianday", **extra)

    def as_sql(self, compiler, connection, **extra):
        template = "(CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision) / 86400.0)"
        return super().as_sql(compiler, connection, template=template, **extra)


def _period_figures(
    base: QuerySet[Opportunity], stages: StageSets, bounds: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per (owner, team): won in the period, open pipeline expected to close in it (in full,
    committed, weighted), and won this month so far. Always read fresh."""
    p0, p1, d0, d1, m0, m1 = (bounds[k] for k in ("p0", "p1", "d0", "d1", "m0", "m1"))
    won = list(stages.won)
    won_period = Q(stage_id__in=won, closed_at__gte=p0, closed_at__lt=p1)
    won_month = Q(stage_id__in=won, closed_at__gte=m0, closed_at__lt=m1)
    closing = Q(expected_close_date__gte=d0, expected_close_date__lte=d1)
    open_period = closing & Q(stage_id__in=list(stages.open))
    committed = open_period & Q(stage_id__in=list(stages.commit))
    weighted = ExpressionWrapper(F("amount") * F("probability"), output_field=MONEY)
    # The rows are found by two index ranges: won deals (by stage) closed in the period or this
    # month, and deals expected to close in the period (by date); the stage of the latter is
    # checked in the sums only, so that the database reads the date index, not every open deal.
    won_rows = Q(stage_id__in=won, closed_at__gte=min(p0, m0), closed_at__lt=max(p1, m1))
    rows = (
        base.filter(won_rows | closing)
        .values("owner_id", "team_id")
        .annotate(
            won=Sum("amount", filter=won_period),
            won_n=Count("id", filter=won_period),
            won_month=Sum("amount", filter=won_month),
            committed=Sum("amount", filter=committed),
            open=Sum("amount", filter=open_period),
            open_n=Count("id", filter=open_period),
            weighted_x100=Sum(weighted, filter=open_period),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


def source_names() -> list[str]:
    """The attainment sources the forecast counts as won (see `targets.ATTAINMENT_SOURCES`)."""
    return ["won_opportunities", *FORECAST_SOURCES]


def _other_sources(
    user: Any, scope: Scope, kind: str, start: dt.date, current_month: dt.date
) -> list[dict[str, Any]]:
    """Per (owner, team): what the sources other than won opportunities add to won in the
    period and to won this month so far. Always read fresh: one grouped query per source."""
    in_period = set(periods.months_of(kind, start))
    months = sorted(in_period | {current_month})
    sums: dict[tuple[Any, Any], dict[str, Decimal]] = defaultdict(
        lambda: {"won": ZERO, "won_month": ZERO}
    )
    for source in FORECAST_SOURCES.values():
        for (owner_id, team_id, month), amount in source(user, scope, months).items():
            bucket = sums[(owner_id, team_id)]
            if month in in_period:
                bucket["won"] += amount
            if month == current_month:
                bucket["won_month"] += amount
    return [{"owner_id": o, "team_id": t, **bucket} for (o, t), bucket in sums.items()]


def _window_rows(
    base: QuerySet[Opportunity], stages: StageSets, w0: dt.datetime, w1: dt.datetime
) -> list[dict[str, Any]]:
    """Per (owner, team) in the history window: deals closed, won, won amount, cycle days of the
    won ones, opportunities created."""
    won = list(stages.won)
    in_window = Q(closed_at__gte=w0, closed_at__lt=w1)
    won_window = in_window & Q(stage_id__in=won)
    closed_window = in_window & Q(stage_id__in=won + list(stages.lost))
    created_window = Q(created_at__gte=w0, created_at__lt=w1)
    cycle = ExpressionWrapper(_Days("closed_at") - _Days("created_at"), output_field=FloatField())
    rows = (
        base.filter(in_window | created_window)
        .values("owner_id", "team_id")
        .annotate(
            closed_w=Count("id", filter=closed_window),
            won_w=Count("id", filter=won_window),
            won_w_amount=Sum("amount", filter=won_window),
            cycle_w=Sum(cycle, filter=won_window),
            created_w=Count("id", filter=created_window),
        )
        .order_by()
    )
    return [{**row, "cycle_w": float(row["cycle_w"] or 0)} for row in rows]


def _won_per_month(
    base: QuerySet[Opportunity], stages: StageSets, first: dt.date, until: dt.date
) -> dict[dt.date, Decimal]:
    """Won amount per month from `first` to the month before `until` (first days), by
    `closed_at` in the company's zone (see `targets.month_bucket`)."""
    months = month_starts(first, until)
    if not months:
        return {}
    rows = (
        base.filter(
            stage_id__in=list(stages.won),
            closed_at__gte=_midnight(first),
            closed_at__lt=_midnight(until),
        )
        .annotate(bucket=month_bucket(months))
        .values("bucket")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {months[r["bucket"]]: _money(r["total"]) for r in rows if r["bucket"] >= 0}


def _meetings(user: Any, scope: Scope, since: dt.datetime, until: dt.datetime) -> dict:
    """First meetings in the window, per (owner, team): each organization met (a meeting or a
    visit linked to it, among the interactions the user may see) counts once, at its first
    meeting in the window; the follow-up meetings with it do not count again."""
    meetings = Interaction.objects.visible_to(user).filter(
        kind__in=MEETING_KINDS, occurred_at__gte=since, occurred_at__lt=until
    )
    if scope.kind == TargetScope.USER:
        meetings = meetings.filter(owner_id=scope.user_id)
    elif scope.kind == TargetScope.TEAM:
        meetings = meetings.filter(team_id=scope.team_id)
    links = InteractionOrganization.objects.filter(interaction__in=meetings.values("pk"))
    if scope.kind == TargetScope.INDUSTRY:
        links = links.filter(organization__industry=scope.industry)
    elif scope.kind == TargetScope.REGION:
        links = links.filter(organization__region__iexact=scope.region)
    rows = (
        links.values("interaction__owner_id", "interaction__team_id")
        .annotate(n=Count("organization_id", distinct=True))
        .order_by()
    )
    return {(r["interaction__owner_id"], r["interaction__team_id"]): r["n"] for r in rows}


def _history(
    user: Any,
    scope: Scope,
    stages: StageSets,
    window_start: dt.date,
    today: dt.date,
) -> dict[str, Any]:
    """What only changes with closed days and months: the window's rates per (owner, team), up
    to yesterday, and the won revenue per complete month (won opportunities and the other
    sources). Kept in the cache for `HISTORY_CACHE_SECONDS` per viewer (their visibility), scope,
    window and day."""
    viewer = "all" if visibility.sees_everything(user) else f"u{getattr(user, 'pk', '')}"
    parts = [viewer, scope.key, window_start.isoformat(), today.isoformat(), *source_names()]
    parts += ["-".join(map(str, sorted(ids))) for ids in (stages.won, stages.lost)]
    key = "accord:forecast-history:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    base = visible_opportunities(user, scope)
    w0, w1 = _midnight(window_start), _midnight(today)
    rows = _window_rows(base, stages, w0, w1)
    meetings = _meetings(user, scope, w0, w1)
    for row in rows:
        row["meetings"] = meetings.pop((row["owner_id"], row["team_id"]), 0)
    for (owner_id, team_id), n in meetings.items():  # meetings of owners without opportunities
        rows.append({"owner_id": owner_id, "team_id": team_id, "meetings": n})
    current_month = today.replace(day=1)
    first = periods.add_months(current_month, -HISTORY_MONTHS)
    months = _won_per_month(base, stages, first, current_month)
    complete = month_starts(first, current_month)
    for source in FORECAST_SOURCES.values():
        for (_owner, _team, month), amount in source(user, scope, complete).items():
            months[month] = _money(months.get(month, ZERO) + amount)
    found = {"rows": rows, "months": months}
    cache.set(key, found, HISTORY_CACHE_SECONDS)
    return found


# --- computing ------------------------------------------------------------------------------
_SUMMED = (
    "won",
    "won_n",
    "won_month",
    "committed",
    "open",
    "open_n",
    "weighted_x100",
    "closed_w",
    "won_w",
    "won_w_amount",
    "created_w",
    "meetings",
)


def _roll_up(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = defaultdict(lambda: {"cycle_w": 0.0})
    for row in rows:
        bucket = out[row[key]] if key else out[None]
        for name in _SUMMED:
            bucket[name] = bucket.get(name, 0) + (row.get(name) or 0)
        bucket["cycle_w"] += row.get("cycle_w") or 0.0
    return out


def _rates(bucket: dict[str, Any], periods_in_window: float) -> wit.Rates:
    return wit.rates_from(
        closed=int(bucket.get("closed_w", 0)),
        won=int(bucket.get("won_w", 0)),
        won_amount=float(bucket.get("won_w_amount", 0) or 0),
        cycle_days_total=float(bucket.get("cycle_w", 0.0)),
        created=int(bucket.get("created_w", 0)),
        meetings=int(bucket.get("meetings", 0)),
        periods=periods_in_window,
    )


def _row(
    kind: str,
    key: int | None,
    label: str,
    bucket: dict[str, Any],
    target: Decimal | None,
    context: dict[str, Any],
) -> Row:
    won = _money(bucket.get("won"))
    committed_open = _money(bucket.get("committed"))
    weighted_open = _money(Decimal(bucket.get("weighted_x100") or 0) / 100)
    counted = committed_open if context["basis"] == "committed" else weighted_open
    rates = _rates(bucket, context["periods"])
    borrowed = False
    scope_rates: wit.Rates | None = context.get("scope_rates")
    if scope_rates is not None and rates.closed < MIN_CLOSED:
        borrowed = True
        rates = wit.Rates(
            win_rate=scope_rates.win_rate,
            avg_deal=scope_rates.avg_deal,
            cycle_days=scope_rates.cycle_days,
            meetings_per_opportunity=scope_rates.meetings_per_opportunity,
            opportunities_per_period=rates.opportunities_per_period,
            closed=rates.closed,
            won=rates.won,
        )
    result = wit.what_it_takes(
        target=float(target) if target is not None else None,
        won=float(won),
        pipeline_counted=float(counted),
        rates=rates,
        period_end=context["period_end"],
        today=context["today"],
    )
    return Row(
        kind,
        key,
        label,
        target,
        won,
        committed_open,
        weighted_open,
        counted,
        rates,
        borrowed,
        result,
    )


def _run_rate(
    history: dict[dt.date, Decimal],
    now: dt.datetime,
    period_kind: str,
    period_start: dt.date,
    won: Decimal,
) -> tuple[engine.MonthlyForecast | None, Decimal, Decimal | None, Decimal | None]:
    """(forecast, run-rate total, lower, upper) of the period: the months of the period before
    this one as won, this month as won so far plus the forecast for the part of it still to come,
    the later months as forecast; never less than what is won in the period already."""
    current_month = now.astimezone(company_zone()).date().replace(day=1)
    period_end = periods.period_end(period_kind, period_start)
    if period_end < current_month:  # a past period: what was won is all there is
        return None, won, None, None
    past = [m for m in history if m < current_month]
    first = min(past) if past else current_month
    series = []
    month = first
    while month < current_month:
        series.append(float(history.get(month, 0)))
        month = periods.add_months(month, 1)
    ahead = periods.month_index(period_end) - periods.month_index(current_month) + 1
    sum_from = max(0, periods.month_index(period_start) - periods.month_index(current_month))
    m0, m1 = _midnight(current_month), _midnight(periods.add_months(current_month, 1))
    to_come = (m1 - now) / (m1 - m0)
    weights = [min(max(to_come, 0.0), 1.0)] + [1.0] * (ahead - 1)
    result = engine.forecast_monthly(series, ahead, sum_from=sum_from, weights=weights)
    actual = sum((v for m, v in history.items() if period_start <= m <= current_month), start=ZERO)
    total = max(actual + _money(result.total), won)
    lower = max(actual + _money(result.total_lower), won)
    upper = max(actual + _money(result.total_upper), total)
    return result, total, lower, upper


def forecast(
    user: Any,
    request: ForecastRequest,
    *,
    now: dt.datetime | None = None,
    names: dict[str, list[tuple[str, str]]] | None = None,
) -> Forecast:
    """The forecast page's numbers (see the module docstring). `names`: the users' and teams'
    names as `parties.selectors.filter_choices()` gives them, when the caller has them already."""
    now = now or timezone.now()
    zone = company_zone()
    today = now.astimezone(zone).date()
    kind, start, scope = request.period_kind, request.period_start, request.scope
    end = periods.period_end(kind, start)
    current_month = today.replace(day=1)
    window_start = _months_ago(today, request.window_months)
    months_per_period = periods.MONTHS_IN[kind]
    bounds = {
        "p0": _midnight(start),
        "p1": _midnight(periods.next_start(kind, start)),
        "d0": start,
        "d1": end,
        "m0": _midnight(current_month),
        "m1": _midnight(periods.add_months(current_month, 1)),
    }
    stages = stage_sets()
    base = visible_opportunities(user, scope)
    live = _period_figures(base, stages, bounds)
    live += _other_sources(user, scope, kind, start, current_month)
    past = _history(user, scope, stages, window_start, today)
    grouped = live + past["rows"]
    history = dict(past["months"])
    history[current_month] = _money(sum((r["won_month"] or 0 for r in live), start=ZERO))

    targets = list(target_list(user).filter(period_kind=kind, period_start=start))
    by_key = {t.scope_key: t for t in targets}
    scope_target = by_key.get(scope.key)
    target_amount = scope_target.amount if scope_target else None

    total_bucket = _roll_up(grouped, "")[None]
    context: dict[str, Any] = {
        "basis": request.basis,
        "periods": request.window_months / months_per_period,
        "period_end": end,
        "today": today,
    }
    total = _row("total", None, "", total_bucket, target_amount, context)
    context["scope_rates"] = total.rates
    names = names if names is not None else filter_choices()
    user_names = {int(k): v for k, v in names["user"]}
    team_names = {int(k): v for k, v in names["team"]}
    per_person_targets = scope.kind in (TargetScope.COMPANY, TargetScope.TEAM, TargetScope.USER)

    def target_of(prefix: str, key: int | None) -> Decimal | None:
        if key is None or not per_person_targets:
            return None
        found = by_key.get(f"{prefix}:{key}")
        return found.amount if found else None

    def name(names: dict[int, str], key: int | None) -> str:
        # "" for no owner / no team (the page says so); an inactive user by their id
        return "" if key is None else names.get(key) or f"#{key}"

    owners = [
        _row("owner", k, name(user_names, k), b, target_of("user", k), context)
        for k, b in _roll_up(grouped, "owner_id").items()
    ]
    teams = [
        _row("team", k, name(team_names, k), b, target_of("team", k), context)
        for k, b in _roll_up(grouped, "team_id").items()
    ]
    owners.sort(key=lambda r: (r.key is None, r.label.casefold()))
    teams.sort(key=lambda r: (r.key is None, r.label.casefold()))

    won = total.won
    run_rate, rr_total, rr_lower, rr_upper = _run_rate(history, now, kind, start, won)
    figures = {
        "won": Figure("won", won, target_amount),
        "committed": Figure("committed", won + total.committed_open, target_amount),
        "weighted": Figure("weighted", won + total.weighted_open, target_amount),
        "best_case": Figure("best_case", won + _money(total_bucket.get("open")), target_amount),
        "run_rate": Figure("run_rate", rr_total, target_amount, rr_lower, rr_upper),
    }
    months = _chart_months(history, run_rate, current_month, kind, start, target_amount)
    return Forecast(
        request=request,
        period_end=end,
        period_label=RevenueTarget(period_kind=kind, period_start=start).period_label,
        today=today,
        window_start=window_start,
        target=scope_target,
        won_count=int(total_bucket.get("won_n", 0)),
        open_count=int(total_bucket.get("open_n", 0)),
        figures=figures,
        run_rate=run_rate,
        months=months,
        total=total,
        owners=owners,
        teams=teams,
        sees_everything=visibility.sees_everything(user),
    )


def _chart_months(
    history: dict[dt.date, Decimal],
    run_rate: engine.MonthlyForecast | None,
    current_month: dt.date,
    kind: str,
    start: dt.date,
    target: Decimal | None,
) -> list[MonthPoint]:
    """The last twelve complete months, then the months up to the period's end."""
    end = periods.period_end(kind, start)
    first = min(periods.add_months(current_month, -12), start)
    last = max(end.replace(day=1), current_month)
    in_period = set(periods.months_of(kind, start))
    share = (target / len(in_period)).quantize(CENT) if target is not None else None
    out: list[MonthPoint] = []
    month = first
    while month <= last:
        point = MonthPoint(
            month=month,
            won=history.get(month, ZERO) if month <= current_month else None,
            partial=month == current_month,
        )
        if run_rate is not None and month >= current_month:
            i = periods.month_index(month) - periods.month_index(current_month)
            if i < len(run_rate.points):
                point.forecast = _money(run_rate.points[i])
                point.lower = _money(run_rate.lower[i])
                point.upper = _money(run_rate.upper[i])
        if month in in_period:
            point.target_share = share
        out.append(point)
        month = periods.add_months(month, 1)
    return out


def regions(user: Any) -> list[str]:
    """Regions of the organizations the user may see (for the scope choice)."""
    rows = (
        Organization.objects.visible_to(user)
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")
    )
    return list(rows[:300])
