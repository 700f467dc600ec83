"""The forecast: won, committed, best case, weighted and run-rate exact on a constructed data set,
what it takes per owner and team, and only the opportunities the user may see counted."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.intelligence.engine import forecast as engine
from accord.intelligence.engine import what_it_takes as wit
from accord.interactions.models import Interaction, InteractionOrganization
from accord.pipeline.models import Stage
from accord.pipeline.selectors.forecast import ForecastRequest, forecast, stage_sets
from accord.pipeline.selectors.targets import Scope

from .factories import renewals
from .factories_targets import deal, make_target, organization

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC
NOW = dt.datetime(2025, 5, 15, 12, 0, tzinfo=BERLIN)
Q2 = dt.date(2025, 4, 1)
CREATED = dt.datetime(2025, 3, 1, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The history part of the forecast is cached; every test starts without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(users):
    """Q2 2025 seen on 15 May 2025 (see the module's numbers in each test)."""
    u = users
    a = {"owner": u.owner, "team": u.team_a}
    b = {"owner": u.other, "team": u.team_b}
    org_a = organization(name="Kunde A", industry="it", region="Bayern", **a)
    org_b = organization(name="Kunde B", industry="retail", region="Hessen", **b)
    deals = {
        "W1": deal(
            stage_name="Won",
            amount="10000",
            closed_at=dt.datetime(2025, 4, 10, 10, tzinfo=UTC),
            created_at=dt.datetime(2025, 2, 9, 10, tzinfo=UTC),
            organization=org_a,
            **a,
        ),
        "W2": deal(
            stage_name="Won",
            amount="5000",
            closed_at=dt.datetime(2025, 5, 2, 10, tzinfo=UTC),
            created_at=dt.datetime(2025, 4, 2, 10, tzinfo=UTC),
            organization=org_b,
            **b,
        ),
        "W3": deal(
            stage_name="Won",
            amount="7000",
            closed_at=dt.datetime(2025, 3, 20, 10, tzinfo=UTC),
            created_at=dt.datetime(2025, 1, 19, 10, tzinfo=UTC),
            organization=org_a,
            **a,
        ),
        # 00:30 on 1 March in Berlin, still February in UTC: March in the history
        "W4": deal(
            stage_name="Won",
            amount="1",
            closed_at=dt.datetime(2025, 2, 28, 23, 30, tzinfo=UTC),
            created_at=dt.datetime(2025, 2, 28, 10, tzinfo=UTC),
            organization=org_a,
            **a,
        ),
        "O1": deal(
            stage_name="Qualification",
            amount="20000",
            expected=dt.date(2025, 6, 10),
            created_at=CREATED,
            organization=org_a,
            **a,
        ),
        "O2": deal(
            stage_name="Proposal",
            amount="40000",
            expected=dt.date(2025, 5, 30),
            created_at=CREATED,
            organization=org_a,
            **a,
        ),
        "O3": deal(
            stage_name="Negotiation",
            amount="8000",
            expected=dt.date(2025, 6, 30),
            probability=80,
            created_at=CREATED,
            organization=org_a,
            **a,
        ),
        "O4": deal(
            stage_name="Quote sent",
            pipeline=renewals(),
            amount="3000",
            expected=dt.date(2025, 4, 20),
            created_at=CREATED,
            organization=org_b,
            **b,
        ),
        "O5": deal(
            stage_name="Proposal",
            amount="100000",
            expected=dt.date(2025, 7, 1),
            created_at=CREATED,
            organization=org_a,
            **a,
        ),
        "O6": deal(
            stage_name="Proposal",
            amount="9000",
            expected=dt.date(2025, 3, 31),
            created_at=CREATED,
            organization=org_a,
            **a,
        ),
        "L1": deal(
            stage_name="Lost",
            amount="12000",
            closed_at=dt.datetime(2025, 4, 5, 10, tzinfo=UTC),
            created_at=CREATED,
            organization=org_a,
            **a,
        ),
    }
    deals["L1"].lost_reason_id = None
    # five meetings with one organization are one first meeting; a call and a meeting without an
    # organization do not count
    for i in range(5):
        meeting = Interaction.objects.create(
            kind="meeting",
            subject=f"Termin {i}",
            occurred_at=dt.datetime(2025, 3, 3 + i, 9, tzinfo=UTC),
            **a,
        )
        InteractionOrganization.objects.create(
            interaction=meeting, organization=org_a, occurred_at=meeting.occurred_at
        )
    call = Interaction.objects.create(kind="call", subject="Anruf", occurred_at=CREATED, **a)
    InteractionOrganization.objects.create(
        interaction=call, organization=org_a, occurred_at=CREATED
    )
    Interaction.objects.create(kind="meeting", subject="intern", occurred_at=CREATED, **a)
    make_target(scope="company", period_start=Q2, amount="100000")
    make_target(scope="user", user=u.owner, period_start=Q2, amount="50000")
    make_target(scope="team", team=u.team_b, period_start=Q2, amount="20000")
    return deals


def run(user, scope=None, basis="weighted", now=NOW):
    request = ForecastRequest("quarter", Q2, scope or Scope(), basis=basis)
    return forecast(user, request, now=now)


def amounts(result):
    return {k: f.amount for k, f in result.figures.items() if k != "run_rate"}


def test_figures_exact_for_the_whole_company(users, data):
    result = run(users.admin)
    assert amounts(result) == {
        "won": Decimal("15000.00"),
        "committed": Decimal("66000.00"),  # + 40,000 + 8,000 + 3,000 in commit stages
        "best_case": Decimal("86000.00"),  # + every open deal closing in Q2
        "weighted": Decimal("45800.00"),  # + 2,000 + 20,000 + 6,400 + 2,400
    }
    figures = result.figures
    assert figures["won"].gap == Decimal("85000.00") and figures["won"].percent == Decimal("15.0")
    assert figures["weighted"].gap == Decimal("54200.00")
    assert figures["committed"].percent == Decimal("66.0")
    assert result.won_count == 2 and result.open_count == 4
    assert result.target.amount == Decimal("100000")


def test_run_rate_from_the_monthly_history(users, data):
    result = run(users.admin)
    months = {p.month: p for p in result.months}
    assert months[dt.date(2025, 2, 1)].won == 0
    assert months[dt.date(2025, 3, 1)].won == Decimal("7001.00")  # W4 counts in Berlin's March
    assert months[dt.date(2025, 4, 1)].won == Decimal("10000.00")
    assert months[dt.date(2025, 5, 1)].won == Decimal("5000.00")  # this month so far
    rr = result.run_rate
    # two complete months of history: the average of March and April for May and June
    assert rr.method == engine.AVERAGE and rr.notes == (engine.SHORT_HISTORY,)
    assert rr.points == (8500.5, 8500.5)
    # April as won (10,000), May as won so far (5,000) plus the 16.5 of its 31 days still to
    # come, June in full
    to_come = 16.5 / 31
    expected = 10_000 + 5_000 + 8500.5 * to_come + 8500.5
    assert float(result.figures["run_rate"].amount) == pytest.approx(expected, abs=0.02)
    lower, upper = result.figures["run_rate"].lower, result.figures["run_rate"].upper
    assert Decimal("15000") <= lower < result.figures["run_rate"].amount < upper
    assert months[dt.date(2025, 6, 1)].target_share == Decimal("33333.33")
    assert months[dt.date(2025, 6, 1)].forecast == Decimal("8500.50")


def test_commit_means_at_or_beyond_the_first_commit_stage(users, data):
    Stage.objects.filter(name="Negotiation").update(is_commit=False)
    assert run(users.admin).figures["committed"].amount == Decimal("66000.00")
    Stage.objects.filter(name="Proposal").update(is_commit=False)
    assert run(users.admin).figures["committed"].amount == Decimal("18000.00")  # won + renewal
    sets = stage_sets()
    assert Stage.objects.get(name="Quote sent").pk in sets.commit


def test_member_counts_only_what_they_may_see(users, data):
    mine = run(users.owner)
    assert amounts(mine) == {
        "won": Decimal("10000.00"),
        "committed": Decimal("58000.00"),
        "best_case": Decimal("78000.00"),
        "weighted": Decimal("38400.00"),
    }
    other = run(users.other)
    assert amounts(other) == {
        "won": Decimal("5000.00"),
        "committed": Decimal("8000.00"),
        "best_case": Decimal("8000.00"),
        "weighted": Decimal("7400.00"),
    }
    # the other team's forecast, asked for by a member of team A: nothing of it is visible
    theirs = run(users.owner, Scope(kind="team", team_id=users.team_b.pk))
    assert all(v == 0 for v in amounts(theirs).values())
    assert theirs.target is None  # team B's target is not visible to team A either


def test_scopes(users, data):
    team_b = run(users.admin, Scope(kind="team", team_id=users.team_b.pk))
    assert team_b.figures["won"].amount == Decimal("5000.00")
    assert team_b.target.amount == Decimal("20000")
    owner = run(users.admin, Scope(kind="user", user_id=users.owner.pk))
    assert owner.figures["best_case"].amount == Decimal("78000.00")
    it = run(users.admin, Scope(kind="industry", industry="it"))
    assert it.figures["weighted"].amount == Decimal("38400.00")
    hessen = run(users.admin, Scope(kind="region", region="hessen"))
    assert hessen.figures["committed"].amount == Decimal("8000.00")


def test_what_it_takes_for_the_company(users, data):
    total = run(users.admin).total
    rates = total.rates
    assert rates.closed == 5 and rates.won == 4  # W1–W4 and L1 closed in the last 12 months
    assert rates.win_rate == pytest.approx(0.8)
    assert rates.avg_deal == pytest.approx(22001 / 4)
    # cycles 60, 30, 60 days and W4 13.5 hours
    assert rates.cycle_days == pytest.approx((150 + 13.5 / 24) / 4)
    assert rates.meetings_per_opportunity == pytest.approx(1 / 11)
    assert rates.opportunities_per_period == pytest.approx(11 / 4)
    result = total.result
    assert result.gap == 54200  # 100,000 − 15,000 − 30,800 weighted open
    assert result.pipeline_needed == pytest.approx(67750)  # ÷ 80 %
    assert result.opportunities_needed == 13  # 67,750 ÷ 5,500.25 = 12.3
    assert result.meetings_needed == 2  # 13 × 1/11 = 1.2
    assert result.latest_start == dt.date(2025, 6, 30) - dt.timedelta(days=38)
    assert result.short_of_capacity  # 13 needed, 2.75 created per quarter
    committed = run(users.admin, basis="committed").total
    assert committed.result.gap == 34000  # 100,000 − 15,000 − 51,000 committed open


def test_what_it_takes_per_owner_and_team(users, data):
    result = run(users.admin)
    owners = {r.key: r for r in result.owners}
    mine = owners[users.owner.pk]
    assert mine.target == Decimal("50000")
    assert mine.won == Decimal("10000.00") and mine.weighted_open == Decimal("28400.00")
    assert mine.result.gap == 11600
    assert mine.borrowed  # 4 closed deals: fewer than five, the company's rates are used
    assert mine.rates.win_rate == pytest.approx(0.8)
    theirs = owners[users.other.pk]
    assert theirs.target is None and wit.NO_TARGET in theirs.result.notes
    teams = {r.key: r for r in result.teams}
    assert teams[users.team_b.pk].target == Decimal("20000")
    assert teams[users.team_b.pk].result.gap == 20000 - 5000 - 2400


def test_no_history_no_division_by_zero(users):
    make_target(scope="company", period_start=Q2, amount="1000")
    result = run(users.admin)
    assert all(f.amount == 0 for f in result.figures.values())
    assert result.run_rate.notes == (engine.NO_HISTORY,)
    assert result.total.result.notes == (wit.NO_HISTORY, wit.NO_CYCLE)
    assert result.owners == [] and result.teams == []


def test_page_and_api_for_member_and_other_team(users, data, client, api):
    query = {"period": "quarter:2025-04-01"}
    url = reverse("pipeline:forecast")
    for user, won in ((users.owner, "10,000"), (users.other, "5,000"), (users.admin, "15,000")):
        client.force_login(user)
        response = client.get(url, query)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Q2 2025" in body and won in body and "What it takes" in body
        assert "from won opportunities" in body
        assert ("Only opportunities you may see are counted" in body) == (user != users.admin)
    body = api(users.owner).get("/api/pipeline/forecast/", query).json()
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["won"]["amount"] == "10000.00"
    assert figures["best_case"]["amount"] == "78000.00"
    assert body["counts_only_visible"] is True
    assert body["target_amount"] == "100000.00"
    body = api(users.other).get("/api/pipeline/forecast/", query).json()
    assert {f["key"]: f["amount"] for f in body["figures"]}["committed"] == "8000.00"
    wit_body = (
        api(users.admin)
        .get("/api/pipeline/forecast/what-it-takes/", {**query, "basis": "committed"})
        .json()
    )
    assert wit_body["basis"] == "committed"
    assert {r["key"] for r in wit_body["owners"]} == {users.owner.pk, users.other.pk}
    bad = api(users.admin).get("/api/pipeline/forecast/", {"period": "quarter:2025-05-01"})
    assert bad.status_code == 400 and "period" in bad.json()
    bad = api(users.admin).get("/api/pipeline/forecast/", {"scope": "team"})
    assert bad.status_code == 400 and "team" in bad.json()


def test_page_defaults_to_the_current_quarter_with_charts(users, data, client):
    client.force_login(users.manager)
    response = client.get(reverse("pipeline:forecast"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "<script" not in body.split("<svg", 1)[1].split("</svg>")[0]
    assert "Run-rate" in body and 'aria-live="polite"' in body
    partial = client.get(
        reverse("pipeline:forecast"),
        {"scope": "team", "team": users.team_a.pk, "basis": "committed"},
        HTTP_HX_REQUEST="true",
    )
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    missing = client.get(reverse("pipeline:forecast"), {"scope": "user"})
    assert "Choose whose forecast to show." in missing.content.decode()


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_forecast_page_query_count_is_bounded(users, data, client, role):
    client.force_login(getattr(users, role))
    url = reverse("pipeline:forecast")
    client.get(url, {"period": "quarter:2025-04-01"})  # warm caches, as a running process has
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"period": "quarter:2025-04-01"})
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 15, [q["sql"][:100] for q in ctx.captured_queries]


def test_period_figures_are_live_while_the_history_is_cached(users, data):
    first = run(users.admin)
    assert first.figures["won"].amount == Decimal("15000.00")
    deal(
        stage_name="Won",
        amount="2500",
        owner=users.owner,
        team=users.team_a,
        closed_at=dt.datetime(2025, 5, 14, 9, tzinfo=UTC),
        created_at=CREATED,
    )
    with CaptureQueriesContext(connection) as ctx:
        again = run(users.admin)
    assert again.figures["won"].amount == Decimal("17500.00")
    assert again.months[-2].won == Decimal("7500.00")  # May so far
    # the rates of the window (up to yesterday) come from the cache: no second scan
    assert not any("julianday" in q["sql"] or "EPOCH" in q["sql"] for q in ctx.captured_queries)
    assert again.total.rates == first.total.rates


def test_page_says_why_nothing_can_be_computed_without_history(users, client):
    make_target(scope="company", period_start=Q2, amount="1000")
    client.force_login(users.admin)
    body = client.get(reverse("pipeline:forecast"), {"period": "quarter:2025-04-01"})
    text = body.content.decode()
    assert "No deal closed in the history window: no win rate." in text
    assert "This period is over" in text


def test_anonymous_is_refused(client):
    response = client.get(reverse("pipeline:forecast"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get("/api/pipeline/forecast/").status_code in (401, 403)
    assert client.get("/api/pipeline/forecast/what-it-takes/").status_code in (401, 403)
    assert client.get("/api/pipeline/targets/").status_code in (401, 403)


def test_a_first_meeting_counts_each_organization_met_once(users, data):
    """A visit to a second organization is one more first meeting; more meetings with the first
    organization are not."""
    a = {"owner": users.owner, "team": users.team_a}
    org_c = organization(name="Kunde C", industry="it", region="Bayern", **a)
    for when, org in (
        (dt.datetime(2025, 3, 20, 9, tzinfo=UTC), org_c),
        (dt.datetime(2025, 3, 21, 9, tzinfo=UTC), data["W1"].organization),
    ):
        visit = Interaction.objects.create(kind="visit", subject="Besuch", occurred_at=when, **a)
        InteractionOrganization.objects.create(
            interaction=visit, organization=org, occurred_at=when
        )
    assert run(users.admin).total.rates.meetings_per_opportunity == pytest.approx(2 / 11)
