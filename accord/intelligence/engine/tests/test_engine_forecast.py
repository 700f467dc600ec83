"""The run-rate forecast, without a database: methods by history length, fallbacks, intervals."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from accord.intelligence.engine import forecast as fc


def test_linear_trend_is_continued():
    history = [10_000 + 500 * i for i in range(24)]
    result = fc.forecast_monthly(history, 3)
    expected = [10_000 + 500 * i for i in range(24, 27)]
    assert result.method == fc.HOLT_WINTERS
    for got, want in zip(result.points, expected, strict=True):
        assert got == pytest.approx(want, rel=0.03)
    assert result.total == pytest.approx(sum(expected), rel=0.03)


def test_trend_without_seasonality_below_two_years():
    history = [20_000 + 1_000 * i for i in range(15)]
    result = fc.forecast_monthly(history, 2)
    assert result.method == fc.HOLT
    assert result.points[0] == pytest.approx(35_000, rel=0.03)
    assert result.points[1] == pytest.approx(36_000, rel=0.04)
    assert result.notes in ((), (fc.NOT_CONVERGED,))


def test_seasonal_pattern_is_kept_with_two_years_or_more():
    rng = np.random.default_rng(7)
    months = np.arange(36)
    history = 100_000 + 40_000 * np.sin(months * 2 * np.pi / 12) + rng.normal(0, 2_000, 36)
    result = fc.forecast_monthly(history.tolist(), 12)
    assert result.method == fc.HOLT_WINTERS
    truth = 100_000 + 40_000 * np.sin(np.arange(36, 48) * 2 * np.pi / 12)
    # the shape of the year comes back: high where it was high, low where it was low
    assert np.corrcoef(result.points, truth)[0, 1] > 0.9


def test_noisy_history_gives_an_interval_around_the_point():
    rng = np.random.default_rng(3)
    history = (50_000 + rng.normal(0, 10_000, 30)).tolist()
    result = fc.forecast_monthly(history, 3, level=0.8)
    assert result.has_interval
    for lo, point, hi in zip(result.lower, result.points, result.upper, strict=True):
        assert lo <= point <= hi
    assert result.total_lower < result.total < result.total_upper
    # the interval of a three-month total is narrower than three monthly intervals added up
    assert result.total_upper - result.total_lower < sum(result.upper) - sum(result.lower)


def test_sum_from_totals_only_the_later_months():
    history = [10_000 + 500 * i for i in range(24)]
    whole = fc.forecast_monthly(history, 5)
    later = fc.forecast_monthly(history, 5, sum_from=2)
    assert later.total == pytest.approx(sum(whole.points[2:]), abs=0.05)


def test_weights_count_part_of_a_month():
    history = [10_000 + 500 * i for i in range(24)]
    whole = fc.forecast_monthly(history, 3)
    part = fc.forecast_monthly(history, 3, weights=[0.25, 1, 1])
    assert part.points == whole.points
    assert part.total == pytest.approx(0.25 * whole.points[0] + sum(whole.points[1:]), abs=0.05)
    assert part.total_lower <= part.total <= part.total_upper
    short = fc.forecast_monthly([100.0, 300.0], 2, weights=[0.5, 1])
    assert short.total == 300.0  # 200 × 0.5 + 200


def test_short_history_falls_back_to_the_recent_average_and_says_so():
    result = fc.forecast_monthly([1_000, 2_000, 3_000, 4_000, 8_000], 3)
    assert result.method == fc.AVERAGE
    assert result.notes == (fc.SHORT_HISTORY,)
    assert result.months_averaged == 3
    assert result.points == (5_000.0, 5_000.0, 5_000.0)
    assert result.total == 15_000.0
    assert result.total_lower < 15_000 < result.total_upper


def test_no_history_forecasts_nothing_and_says_so():
    result = fc.forecast_monthly([], 3)
    assert result.method == fc.NONE
    assert result.notes == (fc.NO_HISTORY,)
    assert result.total == 0 and result.points == (0.0, 0.0, 0.0)


def test_one_month_of_history_has_no_spread():
    result = fc.forecast_monthly([7_500], 2)
    assert result.points == (7_500.0, 7_500.0)
    assert not result.has_interval


def test_constant_history_is_forecast_constant():
    result = fc.forecast_monthly([3_000.0] * 18, 3)
    assert result.method == fc.CONSTANT
    assert result.points == (3_000.0, 3_000.0, 3_000.0)


def test_revenue_is_never_forecast_below_zero():
    history = [50_000 - 4_000 * i for i in range(13)] + [0.0] * 2
    result = fc.forecast_monthly(history, 6)
    assert min(result.points) >= 0 and min(result.lower) >= 0 and result.total_lower >= 0


def test_same_history_same_answer():
    rng = np.random.default_rng(11)
    history = (rng.gamma(2.0, 20_000, 30)).tolist()
    assert fc.forecast_monthly(history, 3) == fc.forecast_monthly(list(history), 3)


def test_warnings_do_not_escape_even_when_they_are_errors():
    rng = np.random.default_rng(5)
    history = (rng.gamma(0.5, 50_000, 27)).tolist()  # lumpy, hard to fit
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fc.forecast_monthly(history, 4, seed=1)
    assert all(math.isfinite(v) for v in result.points)


@pytest.mark.parametrize(
    ("history", "ahead", "kwargs"),
    [
        ([1.0], 0, {}),
        ([1.0], 2, {"sum_from": 2}),
        ([1.0], 2, {"level": 1.0}),
        ([float("nan")], 1, {}),
    ],
)
def test_bad_input_is_refused(history, ahead, kwargs):
    with pytest.raises(ValueError):
        fc.forecast_monthly(history, ahead, **kwargs)
