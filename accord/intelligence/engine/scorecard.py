"""Supplier scorecards and budget run rates: the formulas, on plain numbers.

A scorecard rates a supplier per period on configurable criteria, each scored 0–100:

* on-time delivery: the share of order lines due in the period that were delivered in full by
  their agreed date (`on_time_score`);
* quality: one minus the rejected share of the received quantity (`quality_score`);
* price variance: what was charged against what was agreed, weighted by amount; no variance is
  100 points, a variance of the tolerance or more is 0, linear between (`price_variance_score`);
* responsiveness: the median of the hours until the supplier answered our mails; up to the
  target hours is 100 points, the limit or more is 0, linear between (`responsiveness_score`);
* open issues: open follow-ups and deliveries with rejects; none is 100 points, the limit or more
  is 0 (`open_issues_score`).

A criterion without data in the period (no deliveries, no mails) gives no score; the total is the
weighted mean of the scores there are, with the weights of the others spread over them
(`total_score`). Standings are score bands ("very poor" 0–30 …) that must cover 0–100 without gaps
or overlaps (`band_problems`). Budgets are forecast to the period's end by the run rate of the
part of the period that has passed (`run_rate_forecast`).

Nothing here imports Django: callers read the data, call these functions and store the results.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ON_TIME = "on_time"
QUALITY = "quality"
PRICE_VARIANCE = "price_variance"
RESPONSIVENESS = "responsiveness"
OPEN_ISSUES = "open_issues"
CRITERIA = (ON_TIME, QUALITY, PRICE_VARIANCE, RESPONSIVENESS, OPEN_ISSUES)

SCORE_MIN, SCORE_MAX = 0.0, 100.0
HUNDRED = Decimal("100")

Number = float | int | Decimal


def _f(value: Number) -> float:
    return float(value)


def clamp(value: float, low: float = SCORE_MIN, high: float = SCORE_MAX) -> float:
    return max(low, min(high, value))


def linear_score(value: Number, *, best: Number, worst: Number) -> float:
    """100 at `best` or better, 0 at `worst` or worse, linear between (lower values are better).
    `worst` not above `best`: 100 up to `best`, else 0."""
    v, b, w = _f(value), _f(best), _f(worst)
    if v <= b:
        return SCORE_MAX
    if w <= b or v >= w:
        return SCORE_MIN
    return clamp(SCORE_MAX * (w - v) / (w - b))


# --- weights ---------------------------------------------------------------------------------
def weight_sum(weights: Iterable[Number]) -> Decimal:
    """The sum of the weights, as the configuration page shows it."""
    return sum((Decimal(str(w)) for w in weights), Decimal("0"))


def weights_are_complete(weights: Iterable[Number]) -> bool:
    """Whether the weights sum to 100 % (to the hundredth)."""
    return weight_sum(weights).quantize(Decimal("0.01")) == HUNDRED


def normalise_weights(weights: Mapping[str, Number]) -> dict[str, Decimal]:
    """The weights scaled to sum to 100 (two decimals; the rounding rest goes to the largest).
    All zero: equal weights."""
    if not weights:
        return {}
    total = weight_sum(weights.values())
    keys = list(weights)
    if total <= 0:
        raw = {k: HUNDRED / len(keys) for k in keys}
    else:
        raw = {k: Decimal(str(weights[k])) * HUNDRED / total for k in keys}
    rounded = {k: v.quantize(Decimal("0.01")) for k, v in raw.items()}
    rest = HUNDRED - sum(rounded.values(), Decimal("0"))
    if rest:
        largest = max(keys, key=lambda k: (rounded[k], -keys.index(k)))
        rounded[largest] += rest
    return rounded


# --- criteria ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """One criterion's raw value (a rate in %, a variance in %, hours, a count) and its score;
    `score` None: no data in the period. `basis`: how many items it was measured on."""

    value: float | None
    score: float | None
    basis: int = 0


NO_DATA = Measure(value=None, score=None, basis=0)


def on_time_score(*, on_time: int, due: int) -> Measure:
    """`on_time` of `due` order lines were delivered in full by their agreed date: the rate in %
    is the score."""
    if due <= 0:
        return NO_DATA
    rate = SCORE_MAX * on_time / due
    return Measure(value=rate, score=clamp(rate), basis=due)


def quality_score(*, received: Number, rejected: Number, lines: int = 0) -> Measure:
    """1 − rejected ÷ received, in %; nothing received: no data."""
    got = _f(received)
    if got <= 0:
        return NO_DATA
    share = clamp(_f(rejected) / got, 0.0, 1.0)
    score = SCORE_MAX * (1 - share)
    return Measure(value=score, score=score, basis=lines)


@dataclass(frozen=True)
class PricedLine:
    """A delivered quantity with the unit price agreed on the order and the one charged."""

    quantity: Number
    agreed_price: Number
    charged_price: Number


def price_variance(lines: Iterable[PricedLine]) -> tuple[float | None, int]:
    """The amount-weighted variance of the charged against the agreed prices, in % (positive:
    charged more): (Σ charged − Σ agreed) ÷ Σ agreed, amounts = quantity × price. Lines without a
    charged or agreed price or quantity are left out. Returns (variance, lines counted)."""
    agreed_total = charged_total = 0.0
    counted = 0
    for line in lines:
        qty, agreed = _f(line.quantity), _f(line.agreed_price)
        if qty <= 0 or agreed <= 0:
            continue
        agreed_total += qty * agreed
        charged_total += qty * _f(line.charged_price)
        counted += 1
    if not counted or agreed_total <= 0:
        return None, 0
    return SCORE_MAX * (charged_total - agreed_total) / agreed_total, counted


def price_variance_score(lines: Iterable[PricedLine], *, tolerance_percent: Number) -> Measure:
    """0 % variance (or charged less) = 100 points, `tolerance_percent` or more = 0, linear."""
    variance, counted = price_variance(lines)
    if variance is None:
        return NO_DATA
    score = linear_score(max(variance, 0.0), best=0, worst=tolerance_percent)
    return Measure(value=variance, score=score, basis=counted)


def reply_hours(
    sent: Iterable[dt.datetime],
    replies: Iterable[dt.datetime],
    *,
    now: dt.datetime,
    limit_hours: Number,
) -> list[float]:
    """For each mail we sent, the hours until the supplier's next inbound interaction after it.
    A mail still unanswered counts with the hours since it was sent once those reach the limit
    (it scores 0 either way); one still within the limit is left out (the reply may come)."""
    answers = sorted(replies)
    out: list[float] = []
    index = 0
    for when in sorted(sent):
        while index < len(answers) and answers[index] <= when:
            index += 1
        if index < len(answers):
            out.append((answers[index] - when).total_seconds() / 3600)
            continue
        waited = (now - when).total_seconds() / 3600
        if waited >= _f(limit_hours):
            out.append(waited)
    return out


def responsiveness_score(
    hours: Sequence[Number], *, target_hours: Number, limit_hours: Number
) -> Measure:
    """The median reply time: up to `target_hours` = 100 points, `limit_hours` or more = 0."""
    if not hours:
        return NO_DATA
    median = float(statistics.median(_f(h) for h in hours))
    return Measure(
        value=median,
        score=linear_score(median, best=target_hours, worst=limit_hours),
        basis=len(hours),
    )


def open_issues_score(count: int, *, limit: int) -> Measure:
    """No open issue = 100 points, `limit` or more = 0, linear."""
    return Measure(
        value=float(count), score=linear_score(count, best=0, worst=max(limit, 0)), basis=count
    )


# --- total -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeightedScore:
    code: str
    weight: Decimal  # configured (normalised over the active criteria)
    score: float | None
    effective_weight: Decimal | None  # after leaving out the criteria without data


@dataclass(frozen=True)
class Total:
    score: float | None  # None: no criterion had data
    parts: list[WeightedScore] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    @property
    def renormalised(self) -> bool:
        return bool(self.left_out) and self.score is not None


def total_score(scores: Mapping[str, float | None], weights: Mapping[str, Number]) -> Total:
    """The weighted mean of the scores with data. The weights of the active criteria (those in
    `weights`) are normalised to 100; a criterion without data (score None) is left out and the
    weights of the others renormalised to 100."""
    normal = normalise_weights(weights)
    with_data = {c: w for c, w in normal.items() if scores.get(c) is not None}
    left_out = [c for c in normal if c not in with_data]
    effective = normalise_weights(with_data) if with_data else {}
    total: float | None = None
    raw = {c: float(weights[c]) for c in with_data}
    weight_with_data = sum(raw.values())
    if with_data and weight_with_data > 0:
        # the exact weighted mean (the rounded effective weights are for display)
        total = sum(w * float(scores[c] or 0) for c, w in raw.items())
        total = clamp(total / weight_with_data)
    elif with_data:  # every criterion with data weighs 0: their plain mean
        total = clamp(sum(float(scores[c] or 0) for c in with_data) / len(with_data))
    parts = [
        WeightedScore(code=c, weight=w, score=scores.get(c), effective_weight=effective.get(c))
        for c, w in normal.items()
    ]
    return Total(score=total, parts=parts, left_out=left_out)


# --- standings -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    """A standing: scores from `low` (inclusive) to `high` (exclusive; 100 is in the top band)."""

    low: Number
    high: Number
    key: object = None


def band_problems(bands: Sequence[Band]) -> list[tuple[str, float, float]]:
    """What keeps the bands from covering 0–100 exactly once: ("gap", from, to),
    ("overlap", from, to), ("empty", low, high) for a band that is not from below to. Empty list:
    they fit."""
    problems: list[tuple[str, float, float]] = []
    ordered = sorted(bands, key=lambda b: (_f(b.low), _f(b.high)))
    for band in ordered:
        if _f(band.high) <= _f(band.low):
            problems.append(("empty", _f(band.low), _f(band.high)))
    ordered = [b for b in ordered if _f(b.high) > _f(b.low)]
    reached = SCORE_MIN
    for band in ordered:
        low, high = _f(band.low), _f(band.high)
        if low > reached:
            problems.append(("gap", reached, low))
        elif low < reached:
            problems.append(("overlap", low, min(reached, high)))
        reached = max(reached, high)
    if reached < SCORE_MAX:
        problems.append(("gap", reached, SCORE_MAX))
    if not ordered:
        return problems or [("gap", SCORE_MIN, SCORE_MAX)]
    if _f(ordered[0].low) < SCORE_MIN:
        problems.append(("overlap", _f(ordered[0].low), SCORE_MIN))
    if reached > SCORE_MAX:
        problems.append(("overlap", SCORE_MAX, reached))
    return problems


def band_for(score: Number | None, bands: Sequence[Band]) -> Band | None:
    """The band holding `score` (the top band holds 100)."""
    if score is None:
        return None
    value = _f(score)
    for band in bands:
        if _f(band.low) <= value < _f(band.high):
            return band
    if bands:
        top = max(bands, key=lambda b: _f(b.high))
        if value == _f(top.high) and _f(top.low) <= value:
            return top
    return None


# --- budgets ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Forecast:
    """Spend so far and its run rate carried to the period's end."""

    actual: Decimal
    forecast: Decimal
    elapsed_days: int
    total_days: int

    @property
    def elapsed_share(self) -> float:
        return self.elapsed_days / self.total_days if self.total_days else 1.0


def run_rate_forecast(actual: Number, *, start: dt.date, end: dt.date, today: dt.date) -> Forecast:
    """The spend to the end of the period `start`–`end` (inclusive) if it goes on at the rate of
    the days passed (today counted): actual ÷ elapsed days × days of the period. A period not
    begun or already over: the forecast is the actual."""
    spent = Decimal(str(actual))
    total_days = (end - start).days + 1
    if today < start:
        return Forecast(actual=spent, forecast=spent, elapsed_days=0, total_days=total_days)
    if today >= end:
        return Forecast(
            actual=spent, forecast=spent, elapsed_days=total_days, total_days=total_days
        )
    elapsed = (today - start).days + 1
    forecast = (spent * total_days / elapsed).quantize(Decimal("0.01"))
    return Forecast(actual=spent, forecast=forecast, elapsed_days=elapsed, total_days=total_days)


def used_percent(actual: Number, budget: Number) -> float | None:
    """Actual as % of the budget; None for a budget of zero."""
    b = _f(budget)
    if b <= 0:
        return None
    return 100.0 * _f(actual) / b
