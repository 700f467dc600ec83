"""Reads of negotiations, visibility applied: the list, a negotiation's page (rounds and their
analysis), the fragments on the organization, opportunity and contract pages, and the analysis
page (per negotiation, by counterparty and by negotiator).

The numbers come from `accord.intelligence.engine.negotiation`; this module only reads the rows
the user may see (two queries: negotiations, then their rounds) and feeds the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from accord.intelligence.engine import negotiation as engine

from ..models import Commitment, Contract, Negotiation, NegotiationRound

FRAGMENT_ROWS = 10


def negotiation_list(user: Any) -> QuerySet[Any]:
    """Visible negotiations with counterparty, negotiator and team, and their number of rounds."""
    return (
        Negotiation.objects.visible_to(user)
        .select_related("counterparty", "owner", "team")
        .annotate(round_count=Count("rounds"))
    )


def negotiation_api_list(user: Any) -> QuerySet[Any]:
    """Visible negotiations with the ids of their commitments the user may see (for the API)."""
    return (
        Negotiation.objects.visible_to(user)
        .select_related("owner", "team")
        .annotate(round_count=Count("rounds"))
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.visible_to(user).only("id"),
                to_attr="visible_commitments",
            )
        )
        .order_by("-started_on", "-id")
    )


def round_list(user: Any) -> QuerySet[NegotiationRound]:
    """Rounds of the negotiations the user may see."""
    return NegotiationRound.objects.visible_to(user).select_related("negotiation")


def facts(negotiation: Negotiation, rounds: list[NegotiationRound]) -> engine.NegotiationFacts:
    return engine.NegotiationFacts(
        kind=negotiation.kind,
        status=negotiation.status,
        started_on=negotiation.started_on,
        closed_on=negotiation.closed_on,
        target=negotiation.target_value,
        walk_away=negotiation.walk_away_value,
        offers=[
            engine.Offer(
                number=r.number,
                offered_by=r.offered_by,
                price=r.price,
                volume=r.volume,
                term_months=r.term_months,
                payment_days=r.payment_days,
            )
            for r in rounds
        ],
    )


def negotiation_detail(user: Any, negotiation: Negotiation) -> dict[str, Any]:
    """The rounds (oldest first), the analysis, and the linked records the user may see."""
    rounds = list(negotiation.rounds.order_by("number"))
    ctx: dict[str, Any] = {
        "rounds": rounds,
        "analysis": engine.analyse(facts(negotiation, rounds)),
        "commitments": list(
            Commitment.objects.visible_to(user)
            .filter(negotiations=negotiation)
            .order_by("due_date", "id")
        ),
    }
    for name in ("opportunity", "contract", "purchase_order"):
        pk = getattr(negotiation, f"{name}_id")
        related = Negotiation._meta.get_field(name).related_model
        obj = None
        if pk is not None:
            obj = related._default_manager.visible_to(user).filter(pk=pk).first()  # type: ignore[union-attr]
        ctx[name] = obj
        ctx[f"{name}_hidden"] = pk is not None and obj is None
    return ctx


def negotiations_of(user: Any, **filters: Any) -> list[Negotiation]:
    """The most recent visible negotiations with a counterparty, on an opportunity or a contract
    (`counterparty=`, `opportunity=` or `contract=` an id)."""
    return list(
        negotiation_list(user).filter(**filters).order_by("-started_on", "-id")[:FRAGMENT_ROWS]
    )


def commitment_choices(user: Any) -> QuerySet[Commitment]:
    return Commitment.objects.visible_to(user).order_by("-id")


def contract_choices(user: Any) -> QuerySet[Contract]:
    return Contract.objects.visible_to(user).order_by("title")


# --- analysis ------------------------------------------------------------------------------------
@dataclass
class NegotiationRow:
    negotiation: Negotiation
    analysis: engine.NegotiationAnalysis


@dataclass
class NegotiationReport:
    """The analysis page: one row per negotiation, summaries by counterparty and by negotiator,
    and the summary of all of them."""

    rows: list[NegotiationRow]
    by_counterparty: list[engine.GroupStats]
    by_negotiator: list[engine.GroupStats]
    total: engine.GroupStats | None
    counterparties: dict[int, Any] = field(default_factory=dict)
    negotiators: dict[int | None, Any] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)


def negotiation_analysis(
    user: Any,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = "",
    negotiator: Any = None,
    counterparty: Any = None,
    status: str = "",
) -> NegotiationReport:
    """The negotiations the user may see that started in `start`–`end` (either end open), of a
    kind, negotiator, counterparty or status, analysed one by one and summarised by counterparty
    and by negotiator (largest groups first)."""
    qs = Negotiation.objects.visible_to(user).select_related("counterparty", "owner")
    if start:
        qs = qs.filter(started_on__gte=start)
    if end:
        qs = qs.filter(started_on__lte=end)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if negotiator not in (None, ""):
        qs = qs.filter(owner=getattr(negotiator, "pk", negotiator))
    if counterparty not in (None, ""):
        qs = qs.filter(counterparty=getattr(counterparty, "pk", counterparty))
    negotiations = list(qs.order_by("-started_on", "-id"))
    by_id: dict[int, list[NegotiationRound]] = {n.pk: [] for n in negotiations}
    if negotiations:
        for r in NegotiationRound.objects.filter(negotiation__in=list(by_id)).order_by(
            "negotiation_id", "number"
        ):
            by_id[r.negotiation_id].append(r)
    rows = [NegotiationRow(n, engine.analyse(facts(n, by_id[n.pk]))) for n in negotiations]
    counterparties = {n.counterparty_id: n.counterparty for n in negotiations}
    negotiators = {n.owner_id: n.owner for n in negotiations}

    def ordered(groups: list[engine.GroupStats], names: dict[Any, Any]) -> list[engine.GroupStats]:
        return sorted(groups, key=lambda g: (-g.count, str(names.get(g.key) or "")))

    by_counterparty = engine.group_stats(
        (r.negotiation.counterparty_id, r.negotiation.status, r.analysis) for r in rows
    )
    by_negotiator = engine.group_stats(
        (r.negotiation.owner_id, r.negotiation.status, r.analysis) for r in rows
    )
    total = engine.group_stats(("all", r.negotiation.status, r.analysis) for r in rows)
    return NegotiationReport(
        rows=rows,
        by_counterparty=ordered(by_counterparty, counterparties),
        by_negotiator=ordered(by_negotiator, negotiators),
        total=total[0] if total else None,
        counterparties=counterparties,
        negotiators=negotiators,
        filters={
            "start": start,
            "end": end,
            "kind": kind,
            "status": status,
            "negotiator": negotiator,
            "counterparty": counterparty,
        },
    )
