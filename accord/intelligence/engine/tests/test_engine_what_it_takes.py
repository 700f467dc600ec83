"""The what-it-takes formulas, without a database, including missing history (no division by
zero: a note instead)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.intelligence.engine import what_it_takes as w

END = dt.date(2025, 6, 30)
TODAY = dt.date(2025, 4, 10)


def history(**overrides):
    values = {
        "closed": 40,
        "won": 10,
        "won_amount": 500_000.0,
        "cycle_days_total": 600.0,
        "created": 80,
        "meetings": 200,
        "periods": 4,
    }
    values.update(overrides)
    return w.rates_from(**values)


def test_rates_from_counts():
    r = history()
    assert r.win_rate == 0.25
    assert r.avg_deal == 50_000
    assert r.cycle_days == 60
    assert r.meetings_per_opportunity == 2.5
    assert r.opportunities_per_period == 20


def test_the_formulas():
    result = w.what_it_takes(
        target=400_000,
        won=150_000,
        pipeline_counted=50_000,
        rates=history(),
        period_end=END,
        today=TODAY,
    )
    assert result.gap == 200_000
    assert result.pipeline_needed == 800_000  # 200,000 ÷ 25 %
    assert result.opportunities_needed == 16  # 800,000 ÷ 50,000
    assert result.meetings_needed == 40  # 16 × 2.5
    assert result.latest_start == dt.date(2025, 5, 1)  # 30 June − 60 days
    assert result.notes == ()


def test_opportunities_and_meetings_are_rounded_up():
    result = w.what_it_takes(
        target=110_000, won=0, pipeline_counted=0, rates=history(), period_end=END, today=TODAY
    )
    assert result.pipeline_needed == 440_000
    assert result.opportunities_needed == 9  # 8.8
    assert result.meetings_needed == 23  # 22.5


def test_covered_target_needs_nothing():
    result = w.what_it_takes(
        target=100_000,
        won=80_000,
        pipeline_counted=30_000,
        rates=history(),
        period_end=END,
        today=TODAY,
    )
    assert result.covered and result.gap == -10_000
    assert (result.pipeline_needed, result.opportunities_needed, result.meetings_needed) == (
        0,
        0,
        0,
    )


def test_no_target():
    result = w.what_it_takes(
        target=None, won=1, pipeline_counted=1, rates=history(), period_end=END, today=TODAY
    )
    assert result.notes == (w.NO_TARGET,) and result.gap is None
    assert result.latest_start == dt.date(2025, 5, 1)


def test_zero_win_rate_says_so_instead_of_dividing():
    result = w.what_it_takes(
        target=100_000,
        won=0,
        pipeline_counted=0,
        rates=history(won=0, won_amount=0.0, cycle_days_total=0.0),
        period_end=END,
        today=TODAY,
    )
    assert result.gap == 100_000
    assert result.pipeline_needed is None and result.opportunities_needed is None
    assert w.NO_WINS in result.notes and w.NO_CYCLE in result.notes


def test_no_history_at_all():
    r = w.rates_from(
        closed=0, won=0, won_amount=0.0, cycle_days_total=0.0, created=0, meetings=0, periods=4
    )
    assert (r.win_rate, r.avg_deal, r.cycle_days, r.meetings_per_opportunity) == (None,) * 4
    assert r.opportunities_per_period == 0
    result = w.what_it_takes(
        target=50_000, won=0, pipeline_counted=0, rates=r, period_end=END, today=TODAY
    )
    assert result.notes == (w.NO_HISTORY, w.NO_CYCLE)
    assert result.meetings_needed is None


def test_no_meetings_recorded():
    result = w.what_it_takes(
        target=100_000,
        won=0,
        pipeline_counted=0,
        rates=history(meetings=0),
        period_end=END,
        today=TODAY,
    )
    assert result.opportunities_needed == 8
    assert result.meetings_needed is None and w.NO_MEETINGS in result.notes


def test_start_already_passed():
    result = w.what_it_takes(
        target=100_000,
        won=0,
        pipeline_counted=0,
        rates=history(cycle_days_total=1_200.0),  # 120 days
        period_end=END,
        today=TODAY,
    )
    assert result.latest_start == dt.date(2025, 3, 2)
    assert result.start_passed


def test_more_opportunities_needed_than_ever_created_is_flagged():
    result = w.what_it_takes(
        target=2_000_000, won=0, pipeline_counted=0, rates=history(), period_end=END, today=TODAY
    )
    assert result.opportunities_needed == 160
    assert result.short_of_capacity
    small = w.what_it_takes(
        target=100_000, won=0, pipeline_counted=0, rates=history(), period_end=END, today=TODAY
    )
    assert not small.short_of_capacity


@pytest.mark.parametrize("created", [0])
def test_no_opportunities_created(created):
    r = history(created=created)
    assert r.meetings_per_opportunity is None and r.opportunities_per_period == 0
