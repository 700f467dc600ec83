"""The forecast counts as won what the target's attainment counts: won opportunities and orders
not linked to an opportunity (not cancelled, by the order's day), for the same scope, period and
visibility; the monthly history of the run-rate includes past months' orders; the number of won
deals and the rates stay those of opportunities."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from accord.commerce import services as commerce
from accord.commerce.choices import OrderStatus
from accord.commerce.tests.factories_sales import make_order
from accord.intelligence.engine import forecast as engine
from accord.pipeline.selectors.forecast import ForecastRequest, forecast, source_names
from accord.pipeline.selectors.targets import Scope, attainment

from .factories_targets import deal, make_target, organization

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 5, 15, 12, 0, tzinfo=BERLIN)
Q2 = dt.date(2026, 4, 1)
D = Decimal


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def lines(amount: str) -> list[dict[str, str]]:
    return [{"description": "Wartung", "quantity": "1", "unit_price": amount}]


@pytest.fixture
def data(users):
    """Q2 2026 seen on 15 May 2026: a won deal of 1,000 in April and a standalone order of 500 in
    May (1,500 won); an order of 300 linked to an opportunity and a cancelled order of 700 that do
    not count; orders of February and March for the history, and one of July (Q3)."""
    u = users
    a = {"owner": u.owner, "team": u.team_a}
    org_a = organization(name="Kunde A", industry="it", region="Bayern", **a)
    won = deal(
        stage_name="Won",
        amount="1000",
        closed_at=dt.datetime(2026, 4, 10, 10, tzinfo=BERLIN),
        organization=org_a,
        **a,
    )
    mine = {**a, "organization": org_a}
    make_order(**mine, lines=lines("500"), ordered_on=dt.date(2026, 5, 5))
    make_order(**mine, opportunity=won, lines=lines("300"), ordered_on=dt.date(2026, 5, 6))
    cancelled = make_order(**mine, lines=lines("700"), ordered_on=dt.date(2026, 4, 20))
    commerce.order_set_status(actor=u.owner, order=cancelled, status=OrderStatus.CANCELLED)
    # history: February and the last day of March (a calendar day, whatever the zone)
    make_order(**mine, lines=lines("500"), ordered_on=dt.date(2026, 2, 3))
    make_order(**mine, lines=lines("600"), ordered_on=dt.date(2026, 3, 31))
    make_order(**mine, lines=lines("800"), ordered_on=dt.date(2026, 7, 1))  # Q3: not in Q2
    return won


def run(user, scope=None, period_start=Q2, now=NOW):
    return forecast(user, ForecastRequest("quarter", period_start, scope or Scope()), now=now)


def test_won_counts_standalone_orders_as_the_target_does(users, data):
    target = make_target(scope="company", period_start=Q2, amount="3000")
    result = run(users.admin)
    # the won deal and the standalone order; the linked and the cancelled order do not count
    assert result.figures["won"].amount == D("1500.00")
    assert result.figures["won"].percent == D("50.0")
    assert attainment([target], users.admin)[target.pk].reached == D("1500.00")
    assert result.target == target
    # orders add to the won revenue, not to the number of won deals, nor to the rates
    assert result.won_count == 1
    assert result.total.rates.won == 1 and result.total.rates.avg_deal == pytest.approx(1000)
    # every figure built on won includes them
    assert result.figures["best_case"].amount == D("1500.00")
    assert result.figures["weighted"].amount == D("1500.00")
    assert result.total.won == D("1500.00")


def other_teams_order(users):
    org = organization(name="Kunde B", industry="retail", region="Hessen", owner=users.other)
    make_order(
        owner=users.other,
        team=users.team_b,
        organization=org,
        lines=lines("200"),
        ordered_on=dt.date(2026, 6, 1),
    )


def test_user_and_team_scopes_count_the_order_owner_and_team(users, data):
    u = users
    other_teams_order(u)
    mine = run(u.admin, Scope(kind="user", user_id=u.owner.pk))
    assert mine.figures["won"].amount == D("1500.00")
    theirs = run(u.admin, Scope(kind="user", user_id=u.other.pk))
    assert theirs.figures["won"].amount == D("200.00")
    team_b = run(u.admin, Scope(kind="team", team_id=u.team_b.pk))
    assert team_b.figures["won"].amount == D("200.00")
    hessen = run(u.admin, Scope(kind="region", region="hessen"))
    assert hessen.figures["won"].amount == D("200.00")
    it = run(u.admin, Scope(kind="industry", industry="it"))
    assert it.figures["won"].amount == D("1500.00")
    target = make_target(scope="user", user=u.owner, period_start=Q2, amount="1000")
    assert attainment([target], u.admin)[target.pk].reached == mine.figures["won"].amount
    # the company's forecast per owner and team: the other owner has won only through an order
    company = run(u.admin)
    owners = {r.key: r.won for r in company.owners}
    assert owners == {u.owner.pk: D("1500.00"), u.other.pk: D("200.00")}
    teams = {r.key: r.won for r in company.teams}
    assert teams == {u.team_a.pk: D("1500.00"), u.team_b.pk: D("200.00")}


def test_a_member_counts_the_orders_they_may_see(users, data):
    other_teams_order(users)
    assert run(users.admin).figures["won"].amount == D("1700.00")
    assert run(users.owner).figures["won"].amount == D("1500.00")
    assert run(users.other).figures["won"].amount == D("200.00")


def test_the_monthly_history_and_the_run_rate_include_orders(users, data):
    result = run(users.admin)
    months = {p.month: p.won for p in result.months}
    assert months[dt.date(2026, 1, 1)] == 0
    assert months[dt.date(2026, 2, 1)] == D("500.00")
    assert months[dt.date(2026, 3, 1)] == D("600.00")
    assert months[dt.date(2026, 4, 1)] == D("1000.00")  # the won deal; the cancelled order not
    assert months[dt.date(2026, 5, 1)] == D("500.00")  # this month so far
    rr = result.run_rate
    # three complete months of history (February to April): their average for May and June
    assert rr.method == engine.AVERAGE and rr.notes == (engine.SHORT_HISTORY,)
    assert rr.points == (700.0, 700.0)
    to_come = 16.5 / 31
    expected = 1000 + 500 + 700 * to_come + 700
    assert float(result.figures["run_rate"].amount) == pytest.approx(expected, abs=0.02)


def test_a_past_period_and_a_later_one(users, data):
    q1 = run(users.admin, period_start=dt.date(2026, 1, 1))
    assert q1.figures["won"].amount == D("1100.00") and q1.run_rate is None
    q3 = run(users.admin, period_start=dt.date(2026, 7, 1))
    assert q3.figures["won"].amount == D("800.00")  # an order already dated in July
    # the chart's current month is May's won so far, whatever the period shown
    assert {p.month: p.won for p in q3.months}[dt.date(2026, 5, 1)] == D("500.00")


def test_orders_of_this_period_are_read_live(users, data):
    assert run(users.admin).figures["won"].amount == D("1500.00")
    make_order(owner=users.owner, team=users.team_a, lines=lines("50"), ordered_on=NOW.date())
    again = run(users.admin)
    assert again.figures["won"].amount == D("1550.00")
    assert {p.month: p.won for p in again.months}[dt.date(2026, 5, 1)] == D("550.00")


def test_page_names_both_sources(users, data, client):
    assert source_names() == ["won_opportunities", "orders"]
    client.force_login(users.admin)
    response = client.get(reverse("pipeline:forecast"), {"period": "quarter:2026-01-01"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "from won opportunities" in body
    assert "from orders dated in the period and not linked to an opportunity" in body
    assert "This number counts opportunities only" in body
    assert "1,100" in body  # the orders of February and March
