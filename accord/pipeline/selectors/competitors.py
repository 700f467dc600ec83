"""Reads of competitors: the competitor organizations with their profiles and record against us,
where they are present, and the win/loss report (grouped in the database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.commerce.models import DEFAULT_CURRENCY
from accord.core import visibility
from accord.parties.choices import Industry
from accord.parties.models import Organization

from ..choices import StageKind
from ..models import (
    AccountCompetitor,
    CompetitorProfile,
    Opportunity,
    OpportunityCompetitor,
)
from .stagetimes import start_of_day

CLOSED = (StageKind.WON, StageKind.LOST)
ZERO = Decimal("0.00")


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery's rows (no GROUP BY in the outer query)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _win_rate(won: Any, lost: Any) -> Case:
    total = F(won) + F(lost)
    return Case(
        When(
            Q(**{f"{won}__gt": 0}) | Q(**{f"{lost}__gt": 0}),
            then=Cast(won, FloatField()) * 100.0 / Cast(total, FloatField()),
        ),
        default=None,
        output_field=FloatField(),
    )


# --- lists ---------------------------------------------------------------------------------------
def competitor_choices(user: Any) -> QuerySet[Organization]:
    """Organizations with the competitor role the user may see (to name one as present)."""
    return (
        Organization.objects.visible_to(user)
        .filter(is_competitor=True, is_archived=False)
        .order_by("name", "id")
    )


def competitor_list(user: Any) -> QuerySet[Organization]:
    """The competitor organizations the user may see, with their profile's fields, the open
    opportunities they are in, and our record against them (deals the user may see, all time).

    The presences are counted in one pass (GROUP BY competitor, the visibility rule inside each
    count); deals lost to a competitor without a recorded presence, and the accounts they are
    at, are small correlated counts."""
    via = "opportunity_presences__"
    seen = visibility.visibility_q(Opportunity, user, prefix=f"{via}opportunity__")

    def present(kind: str) -> Count:
        return Count(f"{via}pk", filter=Q(**{f"{via}opportunity__stage__kind": kind}) & seen)

    lost_to_alone = (
        Opportunity.objects.visible_to(user)
        .filter(won_competitor=OuterRef("pk"), stage__kind=StageKind.LOST)
        .exclude(
            Exists(
                OpportunityCompetitor.objects.filter(
                    opportunity=OuterRef("pk"), competitor=OuterRef("won_competitor")
                )
            )
        )
    )
    accounts = AccountCompetitor.objects.visible_to(user).filter(competitor=OuterRef("pk"))
    organizations: QuerySet[Organization] = Organization.objects.visible_to(user)
    return (
        organizations.filter(is_competitor=True)
        .annotate(
            profile_id=F("competitor_profile__id"),
            price_position=F("competitor_profile__price_position"),
            products=F("competitor_profile__products"),
            open_opportunities=present(StageKind.OPEN),
            won_against=present(StageKind.WON),
            lost_present=present(StageKind.LOST),
        )
        .annotate(
            lost_against=F("lost_present") + SubqueryCount(lost_to_alone.values("pk")),
            accounts_present=SubqueryCount(accounts.values("pk")),
        )
        .annotate(win_rate=_win_rate("won_against", "lost_against"))
        .select_related("owner", "team")
    )


def competitor_profile_list(user: Any) -> QuerySet[CompetitorProfile]:
    return CompetitorProfile.objects.visible_to(user).select_related("organization")


def opportunity_competitor_list(user: Any) -> QuerySet[OpportunityCompetitor]:
    return OpportunityCompetitor.objects.visible_to(user).select_related(
        "opportunity", "competitor"
    )


def account_competitor_list(user: Any) -> QuerySet[AccountCompetitor]:
    return AccountCompetitor.objects.visible_to(user).select_related("account", "competitor")


def opportunity_competitors(user: Any, opportunity: Opportunity) -> list[OpportunityCompetitor]:
    """The competitors in the running for one (visible) opportunity."""
    return list(
        OpportunityCompetitor.objects.filter(opportunity=opportunity)
        .select_related("competitor")
        .order_by("competitor__name", "id")
    )


def account_competitors(user: Any, account: Organization) -> list[AccountCompetitor]:
    """The competitors present at one (visible) client account."""
    return list(
        AccountCompetitor.objects.filter(account=account)
        .select_related("competitor")
        .order_by("competitor__name", "id")
    )


def _against(user: Any, competitor: Organization) -> QuerySet[Opportunity]:
    """The opportunities the user may see where the competitor was present or won."""
    present = OpportunityCompetitor.objects.filter(competitor=competitor).values("opportunity_id")
    return Opportunity.objects.visible_to(user).filter(
        Q(pk__in=present) | Q(won_competitor=competitor)
    )


def competitor_detail(user: Any, competitor: Organization) -> dict[str, Any]:
    """The profile, the (visible) opportunities and accounts they are present at, and our record
    against them: won and lost deals and amounts, and why we lost to them."""
    profile = CompetitorProfile.objects.filter(organization=competitor).first()
    on_opportunities = list(
        OpportunityCompetitor.objects.visible_to(user)
        .filter(competitor=competitor)
        .select_related("opportunity", "opportunity__organization", "opportunity__stage")
        .order_by("-opportunity__updated_at", "-id")[:50]
    )
    at_accounts = list(
        AccountCompetitor.objects.visible_to(user)
        .filter(competitor=competitor)
        .select_related("account")
        .order_by("account__name", "id")[:50]
    )
    against = _against(user, competitor).filter(stage__kind__in=CLOSED).order_by()
    record = against.aggregate(**_outcome_aggregates(currency=DEFAULT_CURRENCY))
    row = WinLossRow(
        key=competitor.pk,
        label=str(competitor),
        won=record["won"] or 0,
        lost=record["lost"] or 0,
        won_amount=record["won_amount"] or ZERO,
        lost_amount=record["lost_amount"] or ZERO,
    )
    reasons = list(
        against.filter(stage__kind=StageKind.LOST, won_competitor=competitor)
        .values("lost_reason__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lost_reason__name")
    )
    return {
        "profile": profile,
        "on_opportunities": on_opportunities,
        "at_accounts": at_accounts,
        "record": row,
        "lost_to_reasons": reasons,
        "currency": DEFAULT_CURRENCY,
    }


# --- win/loss report ----------------------------------------------------------------------------
@dataclass
class WinLossRow:
    """Closed deals of one group: how many won and lost, and their amounts."""

    key: Any
    label: str
    won: int = 0
    lost: int = 0
    won_amount: Decimal = ZERO
    lost_amount: Decimal = ZERO

    @property
    def total(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        """Per cent of the closed deals that were won; None without closed deals."""
        return round(self.won * 100 / self.total, 1) if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "total": self.total, "win_rate": self.win_rate}


@dataclass
class PricePressure:
    """Average discount on won deals with and without a competitor present, per cent.

    A deal's discount is the line discounts weighted by the lines' gross value,
    Σ(quantity × unit price × discount) / Σ(quantity × unit price); deals without lines have none
    and are not counted. `*_deals` says how many deals each average is based on.
    """

    present_discount: float | None = None
    present_deals: int = 0
    absent_discount: float | None = None
    absent_deals: int = 0

    @property
    def difference(self) -> float | None:
        if self.present_discount is None or self.absent_discount is None:
            return None
        return round(self.present_discount - self.absent_discount, 2)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "difference": self.difference}


@dataclass
class WinLossFilters:
    """What the report covers: deals closed from `date_from` to `date_to` (both days included),
    in one currency, optionally of one pipeline, owner or team."""

    date_from: dt.date
    date_to: dt.date
    pipeline_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def default(cls, today: dt.date | None = None) -> WinLossFilters:
        """The last twelve months up to today."""
        today = today or timezone.localdate()
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(date_from=year_ago + dt.timedelta(days=1), date_to=today)


@dataclass
class WinLossReport:
    filters: WinLossFilters
    totals: WinLossRow
    by_competitor: list[WinLossRow] = field(default_factory=list)
    no_competitor: WinLossRow | None = None
    by_reason: list[WinLossRow] = field(default_factory=list)
    by_industry: list[WinLossRow] = field(default_factory=list)
    by_region: list[WinLossRow] = field(default_factory=list)
    by_quarter: list[WinLossRow] = field(default_factory=list)
    price_pressure: PricePressure = field(default_factory=PricePressure)

    def as_dict(self) -> dict[str, Any]:
        def rows(items: list[WinLossRow]) -> list[dict[str, Any]]:
            return [r.as_dict() for r in items]

        return {
            "filters": asdict(self.filters),
            "totals": self.totals.as_dict(),
            "by_competitor": rows(self.by_competitor),
            "no_competitor": self.no_competitor.as_dict() if self.no_competitor else None,
            "by_reason": rows(self.by_reason),
            "by_industry": rows(self.by_industry),
            "by_region": rows(self.by_region),
            "by_quarter": rows(self.by_quarter),
            "price_pressure": self.price_pressure.as_dict(),
        }


def _outcome_aggregates(prefix: str = "", currency: str | None = None) -> dict[str, Any]:
    """Won and lost counts and amounts; with `currency`, the amounts sum only that currency's."""
    kind = f"{prefix}stage__kind"
    amount = f"{prefix}amount"
    same = Q(**{f"{prefix}currency": currency}) if currency else Q()
    return {
        "won": Count("pk", filter=Q(**{kind: StageKind.WON})),
        "lost": Count("pk", filter=Q(**{kind: StageKind.LOST})),
        "won_amount": Sum(amount, filter=Q(**{kind: StageKind.WON}) & same),
        "lost_amount": Sum(amount, filter=Q(**{kind: StageKind.LOST}) & same),
    }


def _row(key: Any, label: str, values: Mapping[str, Any]) -> WinLossRow:
    return WinLossRow(
        key=key,
        label=label,
        won=values.get("won") or 0,
        lost=values.get("lost") or 0,
        won_amount=Decimal(values.get("won_amount") or 0).quantize(Decimal("0.01")),
        lost_amount=Decimal(values.get("lost_amount") or 0).quantize(Decimal("0.01")),
    )


def closed_opportunities(user: Any, filters: WinLossFilters) -> QuerySet[Opportunity]:
    """The deals the report counts: visible, won or lost, closed within the period."""
    qs = Opportunity.objects.visible_to(user).filter(
        stage__kind__in=CLOSED,
        closed_at__gte=start_of_day(filters.date_from),
        closed_at__lt=start_of_day(filters.date_to + dt.timedelta(days=1)),
        currency=filters.currency,
    )
    if filters.pipeline_id:
        qs = qs.filter(pipeline_id=filters.pipeline_id)
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.team_id:
        qs = qs.filter(team_id=filters.team_id)
    return qs.order_by()


def _by_competitor(base: QuerySet[Opportunity]) -> tuple[list[WinLossRow], WinLossRow]:
    """Per competitor: the deals they were present on, plus deals lost to them where nobody
    recorded their presence (the presence normally exists: the opportunity service adds it)."""
    present = (
        OpportunityCompetitor.objects.filter(opportunity__in=base.values("pk"))
        .values("competitor_id", "competitor__name")
        .annotate(**_outcome_aggregates("opportunity__"))
        .order_by()
    )
    rows: dict[int, WinLossRow] = {}
    for values in present:
        rows[values["competitor_id"]] = _row(
            values["competitor_id"], values["competitor__name"], values
        )
    alone = (
        base.filter(stage__kind=StageKind.LOST, won_competitor__isnull=False)
        .exclude(
            Exists(
                OpportunityCompetitor.objects.filter(
                    opportunity=OuterRef("pk"), competitor=OuterRef("won_competitor")
                )
            )
        )
        .values("won_competitor_id", "won_competitor__name")
        .annotate(lost=Count("pk"), lost_amount=Sum("amount"))
    )
    for extra in alone:
        key = extra["won_competitor_id"]
        row = rows.setdefault(key, _row(key, extra["won_competitor__name"], {}))
        row.lost += extra["lost"]
        row.lost_amount += Decimal(extra["lost_amount"] or 0).quantize(Decimal("0.01"))
    nobody = (
        base.filter(won_competitor__isnull=True)
        .exclude(Exists(OpportunityCompetitor.objects.filter(opportunity=OuterRef("pk"))))
        .aggregate(**_outcome_aggregates())
    )
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.label.casefold()))
    return ordered, _row(None, _("No competitor known"), nobody)


def _by_field(base: QuerySet[Opportunity], *keys: str, label: Any) -> list[WinLossRow]:
    grouped = base.values(*keys).annotate(**_outcome_aggregates()).order_by(*keys)
    rows = [
        _row(v[keys[0]] if len(keys) == 1 else "/".join(v[k] or "" for k in keys), label(v), v)
        for v in grouped
    ]
    return sorted(rows, key=lambda r: (-r.total, r.label.casefold()))


def _quarters(date_from: dt.date, date_to: dt.date) -> list[tuple[int, int, dt.date, dt.date]]:
    """(year, quarter, first day, day after) of each quarter the period touches, clipped to it."""
    year, quarter = date_from.year, (date_from.month - 1) // 3 + 1
    out = []
    while (year, quarter) <= (date_to.year, (date_to.month - 1) // 3 + 1):
        start = dt.date(year, 3 * quarter - 2, 1)
        year_after, quarter_after = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        end = dt.date(year_after, 3 * quarter_after - 2, 1)
        out.append((year, quarter, max(start, date_from), min(end, date_to + dt.timedelta(1))))
        year, quarter = year_after, quarter_after
    return out


def _by_quarter(base: QuerySet[Opportunity], filters: WinLossFilters) -> list[WinLossRow]:
    """One row per quarter (also the empty ones): one query with an aggregate per quarter and
    outcome (truncating dates per row costs a function call per deal on SQLite)."""
    quarters = _quarters(filters.date_from, filters.date_to)
    aggregates: dict[str, Any] = {}
    for n, (_year, _q, start, end) in enumerate(quarters):
        within = Q(closed_at__gte=start_of_day(start), closed_at__lt=start_of_day(end))
        for name, aggregate in _outcome_aggregates().items():
            aggregate.filter = aggregate.filter & within
            aggregates[f"q{n}_{name}"] = aggregate
    values = base.aggregate(**aggregates)
    return [
        _row(
            f"{year}-Q{q}",
            _("Q%(quarter)d %(year)d") % {"quarter": q, "year": year},
            {name: values[f"q{n}_{name}"] for name in ("won", "lost", "won_amount", "lost_amount")},
        )
        for n, (year, q, _start, _end) in enumerate(quarters)
    ]


def _weighted_discount(won: QuerySet[Opportunity]) -> tuple[float | None, int]:
    """Average over the deals (with lines) of each deal's value-weighted line discount."""
    gross = Cast("lines__quantity", FloatField()) * Cast("lines__unit_price", FloatField())
    per_deal = (
        won.annotate(
            gross=Sum(gross, output_field=FloatField()),
            discounted=Sum(
                gross * Cast("lines__discount", FloatField()), output_field=FloatField()
            ),
        )
        .filter(gross__gt=0)
        .annotate(discount=F("discounted") / F("gross"))
    )
    result = per_deal.aggregate(avg=Avg("discount"), n=Count("pk"))
    n = result["n"] or 0
    if not n or result["avg"] is None:
        return None, n
    return round(float(result["avg"]), 2), n


def _price_pressure(base: QuerySet[Opportunity]) -> PricePressure:
    won = base.filter(stage__kind=StageKind.WON)
    present = Exists(OpportunityCompetitor.objects.filter(opportunity=OuterRef("pk")))
    with_competitor, n_with = _weighted_discount(won.filter(present))
    without, n_without = _weighted_discount(won.filter(~present))
    return PricePressure(with_competitor, n_with, without, n_without)


def win_loss_report(user: Any, filters: WinLossFilters) -> WinLossReport:
    """Won and lost deals of the period (those the user may see): totals, by competitor, lost
    reason, industry, region and quarter, and the price pressure on won deals. Each grouping is
    one GROUP BY query."""
    base = closed_opportunities(user, filters)
    by_quarter = _by_quarter(base, filters)
    totals = _row(None, _("All closed deals"), {})
    for row in by_quarter:  # the quarters cover the period exactly
        totals.won += row.won
        totals.lost += row.lost
        totals.won_amount += row.won_amount
        totals.lost_amount += row.lost_amount
    by_competitor, nobody = _by_competitor(base)
    reasons = (
        base.filter(stage__kind=StageKind.LOST)
        .values("lost_reason_id", "lost_reason__name")
        .annotate(lost=Count("pk"), lost_amount=Sum("amount"))
        .order_by("-lost", "lost_reason__name")
    )
    by_reason = [
        _row(v["lost_reason_id"], v["lost_reason__name"] or _("No reason given"), v)
        for v in reasons
    ]
    industries = dict(Industry.choices)
    by_industry = _by_field(
        base,
        "organization__industry",
        label=lambda v: str(industries.get(v["organization__industry"], _("Not set"))),
    )
    by_region = _by_field(
        base,
        "organization__country",
        "organization__region",
        label=lambda v: (
            " · ".join(p for p in (v["organization__region"], v["organization__country"]) if p)
            or _("Not set")
        ),
    )
    return WinLossReport(
        filters=filters,
        totals=totals,
        by_competitor=by_competitor,
        no_competitor=nobody,
        by_reason=by_reason,
        by_industry=by_industry,
        by_region=by_region,
        by_quarter=by_quarter,
        price_pressure=_price_pressure(base),
    )
