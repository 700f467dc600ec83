"""The opportunity board: one column per stage of a pipeline, with totals and the first cards.

Fast at any size: the totals come from one aggregate query grouped by stage (and currency), the
cards from one query that takes the first few of each stage (a small ordered subquery per stage,
which an index on (stage, expected close date) and (stage, closed) answers without sorting). Won and
lost columns show only the deals closed in the last `recent_days` days, latest first, so that the
board stays about what is moving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from accord.commerce.models import DEFAULT_CURRENCY
from accord.core import visibility

from ..choices import StageKind
from ..models import Opportunity, Pipeline, Stage

CENT = Decimal("0.01")
CARD_LIMIT = 30
RECENT_DAYS = 90
CARD_FIELDS = (
    "id",
    "title",
    "amount",
    "currency",
    "probability",
    "expected_close_date",
    "pipeline_id",
    "stage_id",
    "owner_id",
    "team_id",
    "updated_at",
    "closed_at",
    "organization__id",
    "organization__name",
    "owner__id",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
)


@dataclass
class Total:
    """Sums of one currency in one column."""

    currency: str
    amount: Decimal = Decimal("0")
    weighted: Decimal = Decimal("0")  # Σ amount × probability / 100


@dataclass
class BoardColumn:
    stage: Stage
    count: int = 0
    totals: list[Total] = field(default_factory=list)
    cards: list[Opportunity] = field(default_factory=list)
    recent_only: bool = False  # a won or lost column: closed in the last `recent_days` days

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


@dataclass
class Board:
    pipeline: Pipeline
    columns: list[BoardColumn]
    recent_days: int
    closed_since: dt.datetime
    open_count: int = 0
    open_totals: list[Total] = field(default_factory=list)


def board_pipelines(user: Any) -> list[Pipeline]:
    """The pipelines to choose from, the default first."""
    if not visibility.is_authenticated(user):
        return []
    return list(Pipeline.objects.order_by("-is_default", "name", "id"))


def board_queryset(user: Any) -> QuerySet[Opportunity]:
    """The opportunities the user may see, unordered and unjoined: the board narrows them down
    (list filters, pipeline) before anything is read."""
    return Opportunity.objects.visible_to(user).order_by()


def _card_rows(rows: QuerySet[Opportunity], stage: Stage) -> QuerySet[Opportunity]:
    """The stage's rows in card order. Open deals have no close time (the service clears it), and
    saying so lets one index on (stage, closed, expected close) serve every column."""
    rows = rows.filter(stage_id=stage.pk)
    if stage.kind == StageKind.OPEN:
        rows = rows.filter(closed_at__isnull=True)
    return rows.order_by(*_card_order(stage))


def _card_order(stage: Stage) -> list[Any]:
    if stage.kind == StageKind.OPEN:
        return [F("expected_close_date").asc(nulls_last=True), "id"]
    return [F("closed_at").desc(nulls_last=True), "-id"]


def _card_sort_key(stage: Stage) -> Callable[[Opportunity], Any]:
    if stage.kind == StageKind.OPEN:
        return lambda o: (o.expected_close_date is None, o.expected_close_date or dt.date.min, o.pk)
    return lambda o: (o.closed_at is None, -(o.closed_at.timestamp() if o.closed_at else 0), -o.pk)


def _sorted_totals(by_currency: dict[str, Total]) -> list[Total]:
    return sorted(by_currency.values(), key=lambda t: (t.currency != DEFAULT_CURRENCY, t.currency))


def board(
    user: Any,
    *,
    pipeline: Pipeline,
    queryset: QuerySet[Opportunity],
    card_limit: int = CARD_LIMIT,
    recent_days: int = RECENT_DAYS,
    now: dt.datetime | None = None,
) -> Board:
    """The columns of `pipeline` for the (visible, filtered) `queryset`: three queries in all
    (stages, totals, cards)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=recent_days)
    stages = list(pipeline.stages.order_by("order", "id"))
    columns = {s.pk: BoardColumn(stage=s, recent_only=s.kind != StageKind.OPEN) for s in stages}
    open_ids = [s.pk for s in stages if s.kind == StageKind.OPEN]
    closed_ids = [s.pk for s in stages if s.kind != StageKind.OPEN]
    # The stages name the pipeline; filtering by stage lets the database use the stage indexes.
    rows = queryset.filter(
        Q(stage_id__in=open_ids) | Q(stage_id__in=closed_ids, closed_at__gte=since)
    )

    totals: dict[int, dict[str, Total]] = {}
    open_totals: dict[str, Total] = {}
    open_count = 0
    aggregated = (
        rows.order_by()
        .values("stage_id", "currency")
        .annotate(
            n=Count("id"),
            amount_sum=Sum("amount"),
            weighted_sum=Sum(
                F("amount") * F("probability"),
                output_field=DecimalField(max_digits=24, decimal_places=2),
            ),
        )
    )
    for row in aggregated:
        column = columns[row["stage_id"]]
        amount = Decimal(row["amount_sum"] or 0).quantize(CENT)
        weighted = (Decimal(row["weighted_sum"] or 0) / 100).quantize(CENT)
        column.count += row["n"]
        total = totals.setdefault(column.stage.pk, {}).setdefault(
            row["currency"], Total(row["currency"])
        )
        total.amount += amount
        total.weighted += weighted
        if column.stage.kind == StageKind.OPEN:
            open_count += row["n"]
            overall = open_totals.setdefault(row["currency"], Total(row["currency"]))
            overall.amount += amount
            overall.weighted += weighted
    for pk, by_currency in totals.items():
        columns[pk].totals = _sorted_totals(by_currency)

    non_empty = [s for s in stages if columns[s.pk].count]
    if card_limit > 0 and non_empty:
        # One query: the first cards of each stage, each stage's its own small ordered subquery
        # (open stages by expected close date, won and lost by the latest close first).
        firsts = [Q(pk__in=_card_rows(rows, s).values("pk")[:card_limit]) for s in non_empty]
        cards = (
            Opportunity.objects.filter(reduce(or_, firsts))
            .select_related("organization", "owner")
            .only(*CARD_FIELDS)
        )
        for card in cards:
            card.can_move = visibility.can_change(user, card)  # type: ignore[attr-defined]
            columns[card.stage_id].cards.append(card)
        for s in non_empty:
            columns[s.pk].cards.sort(key=_card_sort_key(s))

    return Board(
        pipeline=pipeline,
        columns=[columns[s.pk] for s in stages],
        recent_days=recent_days,
        closed_since=since,
        open_count=open_count,
        open_totals=_sorted_totals(open_totals),
    )
