"""The trend view's numbers on a constructed data set: per topic and month (or quarter), by
direction and industry, the change against the previous period, under the visibility rule; the
page and the API show the same numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.pipeline.selectors import signals as selectors

from .factories_signals import make_signal

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 15)
# default window: 2024-07-01 … 2025-06-15 (350 days); previous: 2023-07-17 … 2024-06-30
WINDOW = {"start": "2024-07-01", "end": "2025-06-15"}


@pytest.fixture
def signals(users):
    def add(topic, day, direction, industry, *, team="a"):
        owner, team_ = (users.owner, users.team_a) if team == "a" else (users.other, users.team_b)
        make_signal(
            owner=owner,
            team=team_,
            title=f"{topic} {day}",
            topic=topic,
            observed_on=day,
            direction=direction,
            industry=industry,
        )

    # Fernwartung: 3 in the window, 1 before → rising
    add("Fernwartung", D(2025, 6, 1), "request", "manufacturing")
    add("Fernwartung", D(2025, 5, 10), "request", "food")
    add("Fernwartung", D(2024, 7, 1), "opportunity", "manufacturing")  # first day of window
    add("Fernwartung", D(2024, 6, 30), "request", "manufacturing")  # last day before
    # Energiekosten: 1 in the window, 4 before (one more just outside) → falling
    add("Energiekosten", D(2025, 1, 15), "threat", "food")
    add("Energiekosten", D(2023, 7, 17), "threat", "food")  # first day of the previous period
    add("Energiekosten", D(2024, 1, 10), "threat", "food")
    add("Energiekosten", D(2024, 2, 10), "request", "food")
    add("Energiekosten", D(2024, 6, 30), "threat", "food")
    add("Energiekosten", D(2023, 7, 16), "threat", "food")  # the day before
    # Predictive Maintenance: 2 and 2 → steady
    add("Predictive Maintenance", D(2025, 6, 15), "opportunity", "")
    add("Predictive Maintenance", D(2025, 3, 3), "opportunity", "manufacturing")
    add("Predictive Maintenance", D(2024, 3, 1), "opportunity", "manufacturing")
    add("Predictive Maintenance", D(2023, 8, 1), "opportunity", "manufacturing")
    # Neu: 1 and none before → new
    add("Neu", D(2025, 2, 2), "opportunity", "energy")
    # after the window's end
    add("Fernwartung", D(2025, 6, 16), "request", "manufacturing")
    # another team's signals: not counted for team A
    add("Fernwartung", D(2025, 6, 2), "threat", "retail", team="b")
    add("Fernwartung", D(2025, 6, 3), "threat", "retail", team="b")
    return users


def _topics(trends):
    return [
        (t.topic, t.count, t.previous, t.change, t.change_percent, t.trend) for t in trends.topics
    ]


def test_monthly_numbers_and_change_against_the_previous_period(signals):
    trends = selectors.signal_trends(signals.owner, today=TODAY)
    assert (trends.start, trends.end) == (D(2024, 7, 1), D(2025, 6, 15))
    assert (trends.previous_start, trends.previous_end) == (D(2023, 7, 17), D(2024, 6, 30))
    assert trends.labels == [
        "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12",
        "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06",
    ]  # fmt: skip
    assert trends.total == 7
    assert trends.previous_total == 7
    assert _topics(trends) == [
        ("Fernwartung", 3, 1, 2, 200, "rising"),
        ("Predictive Maintenance", 2, 2, 0, 0, "steady"),
        ("Energiekosten", 1, 4, -3, -75, "falling"),
        ("Neu", 1, 0, 1, None, "rising"),
    ]
    assert trends.topic_series == {
        "Fernwartung": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
        "Predictive Maintenance": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1],
        "Energiekosten": [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        "Neu": [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    }
    assert trends.other_series == [0] * 12
    assert trends.direction_series == {
        "opportunity": [1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1],
        "threat": [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        "request": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
    }
    assert trends.period_totals == [1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 2]
    assert trends.industries == ["manufacturing", "food", "energy", ""]
    assert trends.matrix == {
        "Fernwartung": {"manufacturing": 2, "food": 1},
        "Predictive Maintenance": {"": 1, "manufacturing": 1},
        "Energiekosten": {"food": 1},
        "Neu": {"energy": 1},
    }


def test_quarters(signals):
    trends = selectors.signal_trends(signals.owner, period="quarter", today=TODAY)
    assert trends.start == D(2024, 7, 1)
    assert trends.labels == ["2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
    assert trends.topic_series["Fernwartung"] == [1, 0, 0, 2]
    assert trends.topic_series["Energiekosten"] == [0, 0, 1, 0]
    assert trends.direction_series["opportunity"] == [1, 0, 2, 1]


def test_filters_by_direction_and_industry(signals):
    threats = selectors.signal_trends(signals.owner, today=TODAY, direction="threat")
    assert _topics(threats) == [("Energiekosten", 1, 3, -2, -67, "falling")]
    food = selectors.signal_trends(signals.owner, today=TODAY, industry="food")
    assert [(t.topic, t.count, t.previous) for t in food.topics] == [
        ("Energiekosten", 1, 4),
        ("Fernwartung", 1, 0),
    ]
    trend_kind = selectors.signal_trends(signals.owner, today=TODAY, kind="trend")
    assert trend_kind.total == 0 and trend_kind.topics == []


def test_another_teams_signals_are_not_counted(signals):
    mine = selectors.signal_trends(signals.owner, today=TODAY)
    theirs = selectors.signal_trends(signals.other, today=TODAY)
    everyone = selectors.signal_trends(signals.admin, today=TODAY)
    assert mine.total == 7
    assert theirs.total == 2
    assert _topics(theirs) == [("Fernwartung", 2, 0, 2, None, "rising")]
    assert theirs.direction_series["threat"][-1] == 2
    assert everyone.total == 9
    assert everyone.topics[0].count == 5
    assert "retail" not in mine.industries


def test_a_given_window_compares_with_as_many_days_before(signals):
    trends = selectors.signal_trends(
        signals.owner, start=D(2025, 5, 1), end=D(2025, 6, 30), today=TODAY
    )
    assert (trends.previous_start, trends.previous_end) == (D(2025, 3, 1), D(2025, 4, 30))
    assert trends.labels == ["2025-05", "2025-06"]
    counts = {t.topic: (t.count, t.previous) for t in trends.topics}
    # the signal after "today" counts: the window was chosen explicitly
    assert counts["Fernwartung"] == (3, 0)
    assert counts["Predictive Maintenance"] == (1, 1)


def test_the_page_shows_charts_and_the_numbers(signals, client):
    client.force_login(signals.owner)
    response = client.get("/signals/trends/", WINDOW)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 2 and 'role="img"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    rows = {row["topic"]: row for row in response.context["top_rows"]}
    assert rows["Fernwartung"]["change"] == "+2" and rows["Fernwartung"]["percent"] == "+200 %"
    assert rows["Energiekosten"]["trend"] == "falling"
    assert str(rows["Neu"]["trend_label"]) == "new"
    assert response.context["period_totals"] == [1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 2]
    assert "Energiekosten" in html
    assert "retail" not in response.context["trends"].industries


def test_the_page_refuses_an_end_before_the_start(signals, client):
    client.force_login(signals.owner)
    response = client.get("/signals/trends/", {"start": "2025-06-01", "end": "2025-01-01"})
    assert response.status_code == 200
    assert "end" in response.context["form"].errors


def test_the_page_without_signals_says_so(users, client):
    client.force_login(users.owner)
    html = client.get("/signals/trends/").content.decode()
    assert "No signals in this period" in html


def test_the_api_gives_the_same_numbers(signals, api):
    response = api(signals.owner).get("/api/pipeline/signals/trends/", WINDOW)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["total"] == 7 and data["previous_total"] == 7
    assert data["labels"][0] == "2024-07" and len(data["periods"]) == 12
    assert data["topics"][0] == {
        "topic": "Fernwartung",
        "count": 3,
        "previous": 1,
        "change": 2,
        "change_percent": 200,
        "trend": "rising",
    }
    assert data["topics"][3]["change_percent"] is None
    assert {"topic": "Energiekosten", "values": [0] * 6 + [1] + [0] * 5} in data["topic_series"]
    directions = {row["direction"]: row["values"] for row in data["direction_series"]}
    assert directions["request"] == [0] * 10 + [1, 1]
    matrix = {row["topic"]: row["industries"] for row in data["matrix"]}
    assert matrix["Fernwartung"] == {"manufacturing": 2, "food": 1}
    quarter = api(signals.owner).get(
        "/api/pipeline/signals/trends/", {**WINDOW, "period": "quarter", "direction": "threat"}
    )
    assert quarter.json()["labels"] == ["2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
    assert quarter.json()["total"] == 1
    bad = api(signals.owner).get("/api/pipeline/signals/trends/", {"period": "week"})
    assert bad.status_code == 400 and "period" in bad.json()
