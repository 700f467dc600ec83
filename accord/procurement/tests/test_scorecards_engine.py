"""The scorecard and budget formulas on plain numbers (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accord.intelligence.engine import scorecard as sc


def test_linear_score_between_best_and_worst():
    assert sc.linear_score(0, best=0, worst=10) == 100
    assert sc.linear_score(3, best=0, worst=10) == pytest.approx(70)
    assert sc.linear_score(10, best=0, worst=10) == 0
    assert sc.linear_score(48, best=24, worst=120) == pytest.approx(75)
    assert sc.linear_score(12, best=24, worst=120) == 100
    assert sc.linear_score(500, best=24, worst=120) == 0


def test_weights_sum_and_normalise():
    assert sc.weight_sum([30, 25, 20, 15, 10]) == Decimal("100")
    assert sc.weights_are_complete([30, 25, 20, 15, 10])
    assert not sc.weights_are_complete([30, 25, 20, 15])
    assert sc.normalise_weights({"a": 30, "b": 25, "c": 20, "d": 10}) == {
        "a": Decimal("35.30"),
        "b": Decimal("29.41"),
        "c": Decimal("23.53"),
        "d": Decimal("11.76"),
    }
    assert sum(sc.normalise_weights({"a": 1, "b": 1, "c": 1}).values()) == Decimal("100")
    assert sc.normalise_weights({"a": 0, "b": 0}) == {"a": Decimal("50"), "b": Decimal("50")}


def test_criteria_scores():
    assert sc.on_time_score(on_time=1, due=4).score == 25
    assert sc.on_time_score(on_time=0, due=0) is sc.NO_DATA
    assert sc.quality_score(received=160, rejected=6).score == pytest.approx(96.25)
    assert sc.quality_score(received=0, rejected=0).score is None
    lines = [
        sc.PricedLine(100, Decimal("10"), Decimal("10.5")),
        sc.PricedLine(50, Decimal("20"), Decimal("20")),
        sc.PricedLine(10, Decimal("100"), Decimal("104")),
    ]
    measure = sc.price_variance_score(lines, tolerance_percent=10)
    assert measure.value == pytest.approx(3.0)
    assert measure.score == pytest.approx(70.0)
    cheaper = sc.price_variance_score(
        [sc.PricedLine(1, Decimal("10"), Decimal("9"))], tolerance_percent=10
    )
    assert cheaper.value == pytest.approx(-10.0) and cheaper.score == 100
    assert sc.open_issues_score(4, limit=5).score == pytest.approx(20)
    assert sc.open_issues_score(0, limit=5).score == 100
    assert sc.open_issues_score(9, limit=5).score == 0


def test_reply_hours_to_next_inbound_and_unanswered_mails():
    t0 = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    sent = [t0, t0 + 30 * hour, t0 + 200 * hour, t0 + 400 * hour]
    replies = [t0 + 24 * hour, t0 + 78 * hour]  # answers the first, then the second
    now = t0 + 500 * hour
    hours = sc.reply_hours(sent, replies, now=now, limit_hours=120)
    # 24 h; 48 h; 300 h waiting (over the limit: counts); 100 h waiting (within: left out)
    assert hours == [24, 48, 300]
    measure = sc.responsiveness_score(hours, target_hours=24, limit_hours=120)
    assert measure.value == 48
    assert measure.score == pytest.approx(75)
    assert sc.responsiveness_score([], target_hours=24, limit_hours=120) is sc.NO_DATA


def test_total_leaves_out_criteria_without_data_and_renormalises():
    weights = {
        "on_time": 30,
        "quality": 25,
        "price_variance": 20,
        "responsiveness": 15,
        "open_issues": 10,
    }
    full = sc.total_score(
        {
            "on_time": 100 / 3,
            "quality": 96.25,
            "price_variance": 70,
            "responsiveness": 75,
            "open_issues": 20,
        },
        weights,
    )
    assert full.score == pytest.approx(61.3125)
    assert full.left_out == []
    partial = sc.total_score(
        {
            "on_time": 100 / 3,
            "quality": 96.25,
            "price_variance": 70,
            "responsiveness": None,
            "open_issues": 20,
        },
        weights,
    )
    assert partial.left_out == ["responsiveness"]
    assert partial.renormalised
    assert partial.score == pytest.approx(5006.25 / 85)
    effective = {p.code: p.effective_weight for p in partial.parts}
    assert effective["on_time"] == Decimal("35.30")
    assert effective["responsiveness"] is None
    assert sc.total_score({"on_time": None}, {"on_time": 100}).score is None


def test_bands_cover_0_to_100():
    bands = [
        sc.Band(0, 30, "very poor"),
        sc.Band(30, 50, "poor"),
        sc.Band(50, 80, "average"),
        sc.Band(80, 100, "excellent"),
    ]
    assert sc.band_problems(bands) == []
    assert sc.band_for(29.99, bands).key == "very poor"
    assert sc.band_for(30, bands).key == "poor"
    assert sc.band_for(100, bands).key == "excellent"
    assert sc.band_for(None, bands) is None
    assert sc.band_problems([sc.Band(0, 30), sc.Band(40, 100)]) == [("gap", 30.0, 40.0)]
    assert sc.band_problems([sc.Band(0, 50), sc.Band(40, 100)]) == [("overlap", 40.0, 50.0)]
    assert sc.band_problems([sc.Band(0, 90)]) == [("gap", 90.0, 100.0)]
    assert ("empty", 50.0, 50.0) in sc.band_problems(
        [sc.Band(0, 50), sc.Band(50, 50), sc.Band(50, 100)]
    )


def test_run_rate_forecast():
    start, end = dt.date(2026, 10, 1), dt.date(2026, 12, 31)  # 92 days
    f = sc.run_rate_forecast(Decimal("4600"), start=start, end=end, today=dt.date(2026, 10, 23))
    assert f.elapsed_days == 23 and f.total_days == 92
    assert f.forecast == Decimal("18400.00")
    before = sc.run_rate_forecast(100, start=start, end=end, today=dt.date(2026, 9, 1))
    assert before.forecast == Decimal("100")
    after = sc.run_rate_forecast(100, start=start, end=end, today=dt.date(2027, 1, 5))
    assert after.forecast == Decimal("100") and after.elapsed_share == 1.0
    assert sc.used_percent(90, 100) == 90
    assert sc.used_percent(5, 0) is None
