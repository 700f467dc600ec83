"""Reads of the supplier scorecards: the configuration (criteria, standings), the facts a score
is computed from (read in bulk for many suppliers: a fixed number of queries per period), a
supplier's scorecard page (criteria, trend, ranking in its categories) and the ranking list.

Scores are visible to whoever may see the supplier; the configuration to everyone signed in.
The facts behind a score are counted over all orders, deliveries, mails and follow-ups of the
supplier (a score is one number for everyone), never shown row by row here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine import periods
from accord.intelligence.engine import scorecard as engine
from accord.interactions.choices import Direction, FollowUpStatus, InteractionKind
from accord.interactions.models import FollowUp, InteractionOrganization, InteractionPerson
from accord.parties.models import Organization, Position

from ..models import (
    CriterionCode,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    ScorecardCriterion,
    ScorecardStanding,
    ScorePeriod,
    StandingAction,
    SupplierProfile,
    SupplierScore,
    SupplyCategory,
)

ZERO = Decimal("0")
NOT_PLACED = (PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.CANCELLED)
TREND_PERIODS = 8


def may_configure(user: Any) -> bool:
    """Administrators and managers change criteria and standings and recompute all scores."""
    return visibility.sees_everything(user) and visibility.may_write(user)


# --- configuration ---------------------------------------------------------------------------
def criterion_list(user: Any = None) -> QuerySet[ScorecardCriterion]:
    return ScorecardCriterion.objects.order_by("order", "id")


def standing_list(user: Any = None) -> QuerySet[ScorecardStanding]:
    return ScorecardStanding.objects.order_by("low", "id")


def active_weights() -> dict[str, Decimal]:
    return {c.code: c.weight for c in criterion_list().filter(active=True)}


def weight_total() -> Decimal:
    """The sum of the active criteria's weights (100 when configured right)."""
    return engine.weight_sum(active_weights().values())


# --- periods ---------------------------------------------------------------------------------
def period_kind(value: Any) -> str:
    return ScorePeriod.MONTH if value == ScorePeriod.MONTH else ScorePeriod.QUARTER


def bounds(kind: str, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes [from, to) in the current time zone."""
    tz = timezone.get_current_timezone()
    end = periods.next_start(kind, start)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


def recent_periods(kind: str, today: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` periods up to (and with) the current one, oldest first."""
    step = periods.MONTHS_IN[kind]
    current = periods.period_start(kind, today)
    return [periods.add_months(current, -step * i) for i in range(count - 1, -1, -1)]


# --- the facts a score is computed from --------------------------------------------------------
@dataclass
class SupplierFacts:
    """What happened with one supplier in one period (plain numbers for the engine)."""

    due_lines: int = 0
    on_time_lines: int = 0
    received: Decimal = ZERO
    rejected: Decimal = ZERO
    received_lines: int = 0
    priced: list[engine.PricedLine] = field(default_factory=list)
    sent: list[dt.datetime] = field(default_factory=list)
    replies: list[dt.datetime] = field(default_factory=list)
    open_follow_ups: int = 0
    rejected_deliveries: int = 0

    @property
    def open_issues(self) -> int:
        return self.open_follow_ups + self.rejected_deliveries


def scored_supplier_ids() -> list[int]:
    """Organizations that get a scorecard: those with a supplier profile or a purchase order."""
    ids = set(SupplierProfile.objects.values_list("organization_id", flat=True))
    ids |= set(PurchaseOrder.objects.order_by().values_list("supplier_id", flat=True).distinct())
    return sorted(ids)


def supplier_facts(
    kind: str,
    start: dt.date,
    supplier_ids: list[int],
    *,
    now: dt.datetime | None = None,
) -> dict[int, SupplierFacts]:
    """The facts of each supplier in the period, in six queries whatever the number of suppliers.

    * order lines due: placed orders' lines whose agreed delivery date is in the period and not
      after today; on time when the quantity received by that date reaches the ordered one;
    * deliveries received in the period: received and rejected quantities, the prices;
    * our mails (outbound emails) in the period to the organization or its people, and their
      inbound interactions from the period's start on (the replies);
    * follow-ups on the organization open at the period's end (or now, for the current period).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    end = periods.period_end(kind, start)
    since, until = bounds(kind, start)
    facts: dict[int, SupplierFacts] = {pk: SupplierFacts() for pk in supplier_ids}
    if not supplier_ids:
        return facts

    # 1. order lines due in the period
    due_until = min(end, today)
    if due_until >= start:
        lines = (
            PurchaseOrderLine.objects.filter(
                order__supplier_id__in=supplier_ids,
                delivery_date__gte=start,
                delivery_date__lte=due_until,
            )
            .exclude(order__status__in=NOT_PLACED)
            .annotate(
                in_time=Coalesce(
                    Sum(
                        "delivery_lines__quantity_received",
                        filter=Q(delivery_lines__delivery__delivered_on__lte=F("delivery_date")),
                    ),
                    Value(ZERO),
                )
            )
            .values_list("order__supplier_id", "quantity", "in_time")
        )
        for supplier_id, quantity, in_time in lines:
            f = facts[supplier_id]
            f.due_lines += 1
            if Decimal(str(in_time or 0)) >= quantity:
                f.on_time_lines += 1

    # 2. deliveries received in the period
    received = (
        DeliveryLine.objects.filter(
            delivery__order__supplier_id__in=supplier_ids,
            delivery__delivered_on__gte=start,
            delivery__delivered_on__lte=end,
        )
        .exclude(delivery__order__status=PurchaseOrderStatus.CANCELLED)
        .values_list(
            "delivery__order__supplier_id",
            "delivery_id",
            "quantity_received",
            "quantity_rejected",
            "unit_price_charged",
            "order_line__unit_price",
        )
    )
    rejected_deliveries: dict[int, set[int]] = defaultdict(set)
    for supplier_id, delivery_id, got, rejected, charged, agreed in received:
        f = facts[supplier_id]
        f.received += got
        f.rejected += rejected
        f.received_lines += 1
        if got > 0:
            f.priced.append(
                engine.PricedLine(
                    quantity=got,
                    agreed_price=agreed,
                    charged_price=agreed if charged is None else charged,
                )
            )
        if rejected > 0:
            rejected_deliveries[supplier_id].add(delivery_id)
    for supplier_id, deliveries in rejected_deliveries.items():
        facts[supplier_id].rejected_deliveries = len(deliveries)

    # 3. our mails and their replies: to the organization, or to people with a position there
    people: dict[int, set[int]] = defaultdict(set)
    for person_id, org_id in Position.objects.filter(organization_id__in=supplier_ids).values_list(
        "person_id", "organization_id"
    ):
        people[person_id].add(org_id)
    sent: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    replies: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    mail = Q(interaction__kind=InteractionKind.EMAIL, interaction__direction=Direction.OUTBOUND)
    mail &= Q(occurred_at__gte=since, occurred_at__lt=until)
    inbound = Q(interaction__direction=Direction.INBOUND, occurred_at__gte=since)
    for org_id, interaction_id, when, direction in (
        InteractionOrganization.objects.filter(organization_id__in=supplier_ids)
        .filter(mail | inbound)
        .values_list("organization_id", "interaction_id", "occurred_at", "interaction__direction")
    ):
        target = sent if direction == Direction.OUTBOUND else replies
        target[org_id][interaction_id] = when
    if people:
        for person_id, interaction_id, when, direction in (
            InteractionPerson.objects.filter(person_id__in=list(people))
            .filter(mail | inbound)
            .values_list("person_id", "interaction_id", "occurred_at", "interaction__direction")
        ):
            target = sent if direction == Direction.OUTBOUND else replies
            for org_id in people[person_id]:
                target[org_id][interaction_id] = when
    for org_id, found in sent.items():
        facts[org_id].sent = list(found.values())
    for org_id, found in replies.items():
        facts[org_id].replies = list(found.values())

    # 4. follow-ups open at the period's end
    open_at_end = Q(status=FollowUpStatus.OPEN) | Q(
        status=FollowUpStatus.DONE, completed_at__gte=until
    )
    for org_id, n in (
        FollowUp.objects.filter(organization_id__in=supplier_ids, created_at__lt=until)
        .filter(open_at_end)
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    ):
        facts[org_id].open_follow_ups = int(n)
    return facts


def measures(facts: SupplierFacts, criteria: list[ScorecardCriterion], *, now: dt.datetime):
    """Each criterion's measure for the facts (`engine.Measure`), by code."""
    out: dict[str, engine.Measure] = {}
    for criterion in criteria:
        code = criterion.code
        if code == CriterionCode.ON_TIME:
            out[code] = engine.on_time_score(on_time=facts.on_time_lines, due=facts.due_lines)
        elif code == CriterionCode.QUALITY:
            out[code] = engine.quality_score(
                received=facts.received, rejected=facts.rejected, lines=facts.received_lines
            )
        elif code == CriterionCode.PRICE_VARIANCE:
            out[code] = engine.price_variance_score(
                facts.priced, tolerance_percent=criterion.tolerance_percent
            )
        elif code == CriterionCode.RESPONSIVENESS:
            hours = engine.reply_hours(
                facts.sent, facts.replies, now=now, limit_hours=criterion.limit_hours
            )
            out[code] = engine.responsiveness_score(
                hours, target_hours=criterion.target_hours, limit_hours=criterion.limit_hours
            )
        elif code == CriterionCode.OPEN_ISSUES:
            out[code] = engine.open_issues_score(facts.open_issues, limit=criterion.issue_limit)
    return out


# --- blocking --------------------------------------------------------------------------------
def latest_score(supplier: Any) -> SupplierScore | None:
    """The supplier's most recent score with a total (any period kind; the later period first,
    a quarter before a month starting the same day)."""
    pk = getattr(supplier, "pk", supplier)
    return (
        SupplierScore.objects.filter(supplier_id=pk, total__isnull=False)
        .order_by("-period_start", "-period_kind")
        .first()
    )


# --- pages -----------------------------------------------------------------------------------
def supplier_list(user: Any) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user)


def supplier_score_list(user: Any) -> QuerySet[SupplierScore]:
    """Visible scores (those of suppliers the user may see) with supplier and standing."""
    return SupplierScore.objects.visible_to(user).select_related("supplier", "standing")


def available_periods(user: Any, kind: str) -> list[dt.date]:
    """The periods of `kind` that have scores, newest first."""
    return list(
        SupplierScore.objects.filter(period_kind=kind)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()[:40]
    )


@dataclass
class CriterionRow:
    code: str
    label: str
    value: float | None
    score: float | None
    weight: float | None
    effective_weight: float | None
    basis: int

    @property
    def left_out(self) -> bool:
        return self.score is None


@dataclass
class RankingRow:
    category: SupplyCategory
    rank: int | None
    of: int
    top: list[SupplierScore]


@dataclass
class Scorecard:
    supplier: Organization
    kind: str
    start: dt.date
    score: SupplierScore | None
    rows: list[CriterionRow]
    trend: list[tuple[dt.date, str, SupplierScore | None]]
    rankings: list[RankingRow]
    periods: list[dt.date]

    @property
    def label(self) -> str:
        return periods.period_label(self.kind, self.start)

    @property
    def left_out_labels(self) -> list[str]:
        return [r.label for r in self.rows if r.left_out]

    @property
    def is_blocked(self) -> bool:
        return bool(self.score and self.score.standing_action == StandingAction.BLOCK)

    @property
    def is_warned(self) -> bool:
        return bool(self.score and self.score.standing_action == StandingAction.WARNING)


def criterion_rows(score: SupplierScore | None) -> list[CriterionRow]:
    labels = dict(CriterionCode.choices)
    if score is None:
        return []
    return [
        CriterionRow(
            code=c.get("code", ""),
            label=str(labels.get(c.get("code", ""), c.get("code", ""))),
            value=c.get("value"),
            score=c.get("score"),
            weight=c.get("weight"),
            effective_weight=c.get("effective_weight"),
            basis=int(c.get("basis") or 0),
        )
        for c in (score.criteria or [])
    ]


def supplier_categories(supplier: Organization) -> list[SupplyCategory]:
    return list(SupplyCategory.objects.filter(profiles__organization=supplier).order_by("name"))


def category_ranking(user: Any, category: Any, kind: str, start: dt.date) -> list[SupplierScore]:
    """The visible scores of the category's suppliers in the period, best first."""
    pk = getattr(category, "pk", category)
    return list(
        supplier_score_list(user)
        .filter(
            period_kind=kind,
            period_start=start,
            total__isnull=False,
            supplier__supplier_profile__categories=pk,
        )
        .order_by("-total", "supplier__name")
    )


def supplier_scorecard(
    user: Any, supplier: Organization, *, kind: str, start: dt.date | None = None
) -> Scorecard:
    """The scorecard page of one (visible) supplier for one period (default: the latest with a
    score, else the current one)."""
    kind = period_kind(kind)
    scores = {
        s.period_start: s
        for s in SupplierScore.objects.filter(supplier=supplier, period_kind=kind).select_related(
            "standing"
        )
    }
    if start is None:
        start = max(scores) if scores else periods.period_start(kind, timezone.localdate())
    start = periods.period_start(kind, start)
    score = scores.get(start)
    trend_starts = [
        periods.add_months(start, -periods.MONTHS_IN[kind] * i)
        for i in range(TREND_PERIODS - 1, -1, -1)
    ]
    trend = [(p, periods.period_label(kind, p), scores.get(p)) for p in trend_starts]
    rankings = []
    for category in supplier_categories(supplier):
        ranked = category_ranking(user, category, kind, start)
        position = next((i for i, s in enumerate(ranked, 1) if s.supplier_id == supplier.pk), None)
        rankings.append(
            RankingRow(category=category, rank=position, of=len(ranked), top=ranked[:5])
        )
    return Scorecard(
        supplier=supplier,
        kind=kind,
        start=start,
        score=score,
        rows=criterion_rows(score),
        trend=trend,
        rankings=rankings,
        periods=sorted(scores, reverse=True),
    )
