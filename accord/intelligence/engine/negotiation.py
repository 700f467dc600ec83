"""Negotiation analysis: how far each side moved, which terms we won, how the result compares
with our goal and our walk-away point; plus the count/mean/median summaries of groups.

Plain data in, plain results out (no Django): the selectors turn rounds into `Offer`s.

Definitions (documented for the user guide as well):

* **Direction of a term.** Each term has a direction *for us*: +1 when a higher value is better
  for us, -1 when a lower value is. It depends on the kind of negotiation:

  ============  =====  ======  =============  ============
  kind          price  volume  term (months)  payment days
  ============  =====  ======  =============  ============
  sales         +1     +1      +1             -1
  partnership   +1     +1      +1             -1
  other         +1     +1      +1             -1
  purchase      -1     +1      -1             +1
  authority     -1     -1      +1             +1
  ============  =====  ======  =============  ============

  In a sale we want a high price, a large volume, a long term and to be paid early; in a purchase
  a low price, a large volume (the discount comes with it), a short commitment and to pay late. In
  a negotiation with an authority the "price" is what we pay (fees, levies, obligations), the
  "volume" what we must deliver, the "term" how long a permit runs.

* **Concession of a side** (per cent of its first offer), price only: how far a side moved from
  its own first offer towards the other side, as a share of that first offer.
  ``ours = d·(our_first − our_last) / our_first · 100`` and
  ``theirs = d·(their_last − their_first) / their_first · 100`` with ``d`` the price direction.
  In a sale (d = +1) we concede by lowering our price and they concede by raising theirs; in a
  purchase (d = −1) the other way round. A side that made one offer conceded 0 %; a side that made
  none has no value. A negative value means the side hardened its position.

* **Final price**: the price of the last round that names one (the agreed price when the
  negotiation was agreed). ``final vs goal = d·(final − target) / target · 100`` (positive: better
  than the goal) and ``margin to walk-away = d·(final − walk_away) / walk_away · 100`` (negative:
  beyond the walk-away point).

* **Terms won or lost**: for each term that the offers name, the goal is the target price (for the
  price, when set) or else our first offer's value. A term is *won* when the final value reaches
  the goal, *lost* when it is no better for us than the other side's first offer, and *partly*
  won in between. A term without an offer from both sides uses what there is: without our offer
  the goal is unknown (and the term is not rated), without theirs it is won or lost against the
  goal only.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

US, THEM = "us", "them"
PRICE, VOLUME, TERM, PAYMENT = "price", "volume", "term_months", "payment_days"
TERMS = (PRICE, VOLUME, TERM, PAYMENT)
WON, PARTLY, LOST = "won", "partly", "lost"

_SALES_LIKE = {PRICE: 1, VOLUME: 1, TERM: 1, PAYMENT: -1}
DIRECTIONS: dict[str, dict[str, int]] = {
    "sales": _SALES_LIKE,
    "partnership": _SALES_LIKE,
    "other": _SALES_LIKE,
    "purchase": {PRICE: -1, VOLUME: 1, TERM: -1, PAYMENT: 1},
    "authority": {PRICE: -1, VOLUME: -1, TERM: 1, PAYMENT: 1},
}


def direction(kind: str, term: str = PRICE) -> int:
    """+1 when a higher value of `term` is better for us in a negotiation of `kind`, else -1."""
    return DIRECTIONS.get(kind, _SALES_LIKE)[term]


@dataclass(frozen=True)
class Offer:
    """One round's terms, by whom they were offered (`US` or `THEM`)."""

    number: int
    offered_by: str
    price: Decimal | None = None
    volume: Decimal | None = None
    term_months: int | None = None
    payment_days: int | None = None

    def value(self, term: str) -> Decimal | None:
        raw = getattr(self, term)
        return None if raw is None else Decimal(raw)


@dataclass(frozen=True)
class NegotiationFacts:
    """What the analysis needs of one negotiation."""

    kind: str
    status: str
    started_on: dt.date
    closed_on: dt.date | None = None
    target: Decimal | None = None
    walk_away: Decimal | None = None
    offers: Sequence[Offer] = ()


@dataclass
class NegotiationAnalysis:
    rounds: int
    days_to_close: int | None
    our_concession: float | None  # per cent of our first offer
    their_concession: float | None  # per cent of their first offer
    final_price: Decimal | None
    final_vs_goal: float | None  # per cent of the target, positive: better than the goal
    met_goal: bool | None
    margin_to_walk_away: float | None  # per cent of the walk-away point, negative: beyond it
    within_walk_away: bool | None
    terms: dict[str, str] = field(default_factory=dict)  # term → won / partly / lost

    @property
    def terms_won(self) -> int:
        return sum(1 for v in self.terms.values() if v == WON)

    @property
    def terms_partly(self) -> int:
        return sum(1 for v in self.terms.values() if v == PARTLY)

    @property
    def terms_lost(self) -> int:
        return sum(1 for v in self.terms.values() if v == LOST)


def _ordered(offers: Iterable[Offer]) -> list[Offer]:
    return sorted(offers, key=lambda o: o.number)


def _first_last(offers: Sequence[Offer], side: str, term: str) -> tuple[Decimal | None, ...]:
    values = [o.value(term) for o in offers if o.offered_by == side and o.value(term) is not None]
    if not values:
        return None, None
    return values[0], values[-1]


def _percent(numerator: Decimal, denominator: Decimal) -> float | None:
    if not denominator:
        return None
    return float(numerator / denominator * 100)


def concession(kind: str, side: str, first: Decimal | None, last: Decimal | None) -> float | None:
    """How far `side` moved from its first price towards the other side, in per cent of its first
    price (see the module docstring)."""
    if first is None or last is None:
        return None
    d = direction(kind, PRICE)
    moved = d * (first - last) if side == US else d * (last - first)
    return _percent(moved, first)


def final_value(offers: Sequence[Offer], term: str) -> Decimal | None:
    """The value of `term` in the last round that names it."""
    for offer in reversed(_ordered(offers)):
        value = offer.value(term)
        if value is not None:
            return value
    return None


def rate_term(
    kind: str,
    term: str,
    *,
    goal: Decimal | None,
    their_first: Decimal | None,
    final: Decimal | None,
) -> str | None:
    """Won, partly or lost (see the module docstring); None when it cannot be rated."""
    if goal is None or final is None:
        return None
    d = direction(kind, term)
    if d * (final - goal) >= 0:
        return WON
    if their_first is None or d * (final - their_first) <= 0:
        return LOST
    return PARTLY


def analyse(facts: NegotiationFacts) -> NegotiationAnalysis:
    """The numbers of one negotiation."""
    offers = _ordered(facts.offers)
    kind = facts.kind
    our_first, our_last = _first_last(offers, US, PRICE)
    their_first, their_last = _first_last(offers, THEM, PRICE)
    final = final_value(offers, PRICE)
    d = direction(kind, PRICE)

    final_vs_goal = met_goal = None
    if final is not None and facts.target:
        final_vs_goal = _percent(d * (final - facts.target), facts.target)
        met_goal = d * (final - facts.target) >= 0
    margin = within = None
    if final is not None and facts.walk_away:
        margin = _percent(d * (final - facts.walk_away), facts.walk_away)
        within = d * (final - facts.walk_away) >= 0

    terms: dict[str, str] = {}
    for term in TERMS:
        ours = _first_last(offers, US, term)[0]
        theirs = _first_last(offers, THEM, term)[0]
        goal = facts.target if term == PRICE and facts.target else ours
        rating = rate_term(
            kind, term, goal=goal, their_first=theirs, final=final_value(offers, term)
        )
        if rating is not None:
            terms[term] = rating

    days = None
    if facts.closed_on is not None:
        days = (facts.closed_on - facts.started_on).days
    return NegotiationAnalysis(
        rounds=len(offers),
        days_to_close=days,
        our_concession=concession(kind, US, our_first, our_last),
        their_concession=concession(kind, THEM, their_first, their_last),
        final_price=final,
        final_vs_goal=final_vs_goal,
        met_goal=met_goal,
        margin_to_walk_away=margin,
        within_walk_away=within,
        terms=terms,
    )


@dataclass(frozen=True)
class Summary:
    """Count, mean and median of the values that are known (None values are left out)."""

    count: int
    mean: float | None
    median: float | None


def summarize(values: Iterable[float | int | Decimal | None]) -> Summary:
    known = [float(v) for v in values if v is not None]
    if not known:
        return Summary(0, None, None)
    return Summary(len(known), statistics.fmean(known), float(statistics.median(known)))


@dataclass
class GroupStats:
    """The negotiations of one counterparty or negotiator, summarised."""

    key: object
    count: int
    closed: int
    agreed: int
    rounds: Summary
    days_to_close: Summary
    our_concession: Summary
    their_concession: Summary
    final_vs_goal: Summary
    terms_won: int
    terms_lost: int

    @property
    def agreement_rate(self) -> float | None:
        """Per cent of the closed negotiations that were agreed."""
        return self.agreed / self.closed * 100 if self.closed else None


CLOSED_STATUSES = ("agreed", "broken_off", "abandoned")


def group_stats(
    rows: Iterable[tuple[object, str, NegotiationAnalysis]],
) -> list[GroupStats]:
    """`rows`: (group key, status, analysis) per negotiation → one summary per key, in the order
    the keys first appear."""
    groups: dict[object, list[tuple[str, NegotiationAnalysis]]] = {}
    for key, status, analysis in rows:
        groups.setdefault(key, []).append((status, analysis))
    out = []
    for key, items in groups.items():
        analyses = [a for _s, a in items]
        out.append(
            GroupStats(
                key=key,
                count=len(items),
                closed=sum(1 for s, _a in items if s in CLOSED_STATUSES),
                agreed=sum(1 for s, _a in items if s == "agreed"),
                rounds=summarize(a.rounds for a in analyses),
                days_to_close=summarize(a.days_to_close for a in analyses),
                our_concession=summarize(a.our_concession for a in analyses),
                their_concession=summarize(a.their_concession for a in analyses),
                final_vs_goal=summarize(a.final_vs_goal for a in analyses),
                terms_won=sum(a.terms_won for a in analyses),
                terms_lost=sum(a.terms_lost for a in analyses),
            )
        )
    return out
