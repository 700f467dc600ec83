"""Run-rate forecast: won revenue of the coming months from the won revenue of past months.

`forecast_monthly(history, months_ahead)` takes monthly totals (oldest first, complete months
only, the last one being the month before the first forecast month) and returns a point forecast
per month ahead with a prediction interval, and the total of the months from `sum_from` on, each
month counted with its weight (`weights`, default 1: e.g. the share of the current month still
to come, when what was won in it so far is known).

Method, by the length of the history:

* at least `MIN_SEASONAL_MONTHS` (24): Holt-Winters exponential smoothing with an additive, damped
  trend and additive yearly seasonality (statsmodels `ExponentialSmoothing`);
* at least `MIN_TREND_MONTHS` (12): Holt's exponential smoothing with an additive, damped trend
  (no seasonality: a season needs two years to be told from noise);
* fewer: the average of the last `FALLBACK_MONTHS` (3) months, and the note `short_history`;
* none: zero, and the note `no_history`.

The interval comes from simulating the fitted model's future paths (`results.simulate`, a fixed
seed so that the same history gives the same answer) and reading the quantiles; the total of
several months is taken over the simulated paths, so its interval is right for a sum (not the sum
of the monthly bounds). Revenue is never below zero: points, bounds and paths are cut at zero.
When the model cannot be fitted (statsmodels raises), the average fallback answers with the note
`fit_failed`. Convergence warnings of the optimiser are caught here and reported as the note
`not_converged` instead of escaping into the caller's logs (or failing a test suite that treats
warnings as errors).

The fit (model, points, simulated paths) is cached per (history, months ahead, level, seed); the
weights only change how the months are added up. A page calling this on every request pays for
the fit once per process while the history stays the same.
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

MIN_TREND_MONTHS = 12
MIN_SEASONAL_MONTHS = 24
FALLBACK_MONTHS = 3
SEASON = 12
SIMULATIONS = 1000
DEFAULT_LEVEL = 0.8

# method codes
HOLT_WINTERS = "holt_winters_damped"  # trend (damped) + yearly seasonality
HOLT = "holt_damped"  # trend (damped), no seasonality
AVERAGE = "recent_average"
CONSTANT = "constant"  # every past month the same: nothing to smooth
NONE = "none"

# note codes
SHORT_HISTORY = "short_history"
NO_HISTORY = "no_history"
FIT_FAILED = "fit_failed"
NOT_CONVERGED = "not_converged"


@dataclass(frozen=True)
class MonthlyForecast:
    """Forecast per month ahead (index 0: the month after the last month of history).

    `total`, `total_lower` and `total_upper` cover the months from `sum_from` to the end, each
    counted with its weight.
    `notes` are codes (see the module docstring); `level` is the interval's coverage (0.8: the
    true value lies between the bounds four times out of five, if the model is right).
    """

    points: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    total: float
    total_lower: float
    total_upper: float
    method: str
    level: float
    history_months: int
    months_averaged: int = 0  # with the average fallback: how many months
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_interval(self) -> bool:
        return any(u > lo for lo, u in zip(self.lower, self.upper, strict=True))


def forecast_monthly(
    history: Sequence[float],
    months_ahead: int,
    *,
    sum_from: int = 0,
    weights: Sequence[float] | None = None,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
) -> MonthlyForecast:
    """Forecast `months_ahead` months after `history` (monthly totals, oldest first)."""
    if months_ahead < 1:
        raise ValueError("months_ahead must be at least 1")
    if not 0 <= sum_from < months_ahead:
        raise ValueError("sum_from must lie within the months ahead")
    if not 0 < level < 1:
        raise ValueError("level must lie between 0 and 1")
    values = tuple(float(v) for v in history)
    if not all(math.isfinite(v) for v in values):
        raise ValueError("history holds a value that is not a finite number")
    w = tuple(float(v) for v in weights) if weights is not None else (1.0,) * months_ahead
    if len(w) != months_ahead or not all(0 <= v <= 1 for v in w):
        raise ValueError("weights: one between 0 and 1 per month ahead")
    counted = np.array([0.0] * sum_from + list(w[sum_from:]))
    fit = _fit(values, months_ahead, level, seed)
    tail = (1 - level) / 2
    total = float(counted @ fit.points)
    if fit.paths is not None:
        totals = counted @ fit.paths  # each simulated path's weighted total
        total_lower = min(float(np.quantile(totals, tail)), total)
        total_upper = max(float(np.quantile(totals, 1 - tail)), total)
    else:  # normal, months independent
        z = statistics.NormalDist().inv_cdf(1 - tail)
        spread = z * fit.spread * math.sqrt(float((counted**2).sum()))
        total_lower, total_upper = max(total - spread, 0.0), total + spread
    return MonthlyForecast(
        points=_rounded(fit.points),
        lower=_rounded(fit.lower),
        upper=_rounded(fit.upper),
        total=round(total, 2),
        total_lower=round(total_lower, 2),
        total_upper=round(total_upper, 2),
        method=fit.method,
        level=level,
        history_months=len(values),
        months_averaged=fit.months_averaged,
        notes=fit.notes,
    )


@dataclass(frozen=True)
class _Fit:
    """What the history gives, before the months are added up: per month the point and the
    bounds, and either the simulated paths or (without a model) the monthly spread."""

    points: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    method: str
    notes: tuple[str, ...] = ()
    paths: np.ndarray | None = None  # months × simulations
    spread: float = 0.0
    months_averaged: int = 0


@lru_cache(maxsize=256)
def _fit(history: tuple[float, ...], months_ahead: int, level: float, seed: int) -> _Fit:
    n = len(history)
    if n == 0:
        zeros = np.zeros(months_ahead)
        return _Fit(zeros, zeros, zeros, NONE, (NO_HISTORY,))
    if n < MIN_TREND_MONTHS:
        return _average(history, months_ahead, level, (SHORT_HISTORY,))
    if max(history) == min(history):
        points = np.full(months_ahead, max(history[-1], 0.0))
        return _Fit(points, points, points, CONSTANT)
    try:
        return _smoothing(history, months_ahead, level, seed)
    except Exception:  # noqa: BLE001 - any failure of the numerics: the plain average answers
        return _average(history, months_ahead, level, (FIT_FAILED,))


def _smoothing(history: tuple[float, ...], months_ahead: int, level: float, seed: int) -> _Fit:
    y = np.asarray(history, dtype=float)
    seasonal = len(y) >= MIN_SEASONAL_MONTHS
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # imported here, on first use (statsmodels takes a second to import), and inside the
        # guard: another package's import hook may warn while it loads
        from statsmodels.tools.sm_exceptions import ConvergenceWarning
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        model = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            seasonal="add" if seasonal else None,
            seasonal_periods=SEASON if seasonal else None,
            initialization_method="estimated",
        )
        results = model.fit()
        points = np.asarray(results.forecast(months_ahead), dtype=float)
        paths = np.asarray(
            results.simulate(
                months_ahead,
                repetitions=SIMULATIONS,
                error="add",
                anchor="end",
                random_state=seed,
            ),
            dtype=float,
        ).reshape(months_ahead, SIMULATIONS)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append(NOT_CONVERGED)
    if not (np.all(np.isfinite(points)) and np.all(np.isfinite(paths))):
        raise FloatingPointError("the fitted model gives no finite forecast")
    points = np.clip(points, 0, None)
    paths = np.clip(paths, 0, None)
    tail = (1 - level) / 2
    lower = np.minimum(np.quantile(paths, tail, axis=1), points)
    upper = np.maximum(np.quantile(paths, 1 - tail, axis=1), points)
    for array in (points, lower, upper, paths):
        array.setflags(write=False)  # shared by every caller through the cache
    return _Fit(
        points,
        lower,
        upper,
        HOLT_WINTERS if seasonal else HOLT,
        tuple(notes),
        paths=paths,
    )


def _average(
    history: tuple[float, ...], months_ahead: int, level: float, notes: tuple[str, ...]
) -> _Fit:
    """The mean of the last months for every month ahead; the interval from their spread
    (normal, months independent), when there are at least two months."""
    recent = history[-FALLBACK_MONTHS:]
    mean = max(statistics.fmean(recent), 0.0)
    spread = statistics.stdev(recent) if len(recent) > 1 else 0.0
    z = statistics.NormalDist().inv_cdf(1 - (1 - level) / 2)
    return _Fit(
        points=np.full(months_ahead, mean),
        lower=np.full(months_ahead, max(mean - z * spread, 0.0)),
        upper=np.full(months_ahead, mean + z * spread),
        method=AVERAGE,
        notes=notes,
        spread=spread,
        months_averaged=len(recent),
    )


def _rounded(values: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in values)
