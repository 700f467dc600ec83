"""The win/loss report on a data set built for it: every number checked exactly, on the page,
through the API and with the filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.pipeline.models import OpportunityCompetitor, OpportunityLine
from accord.pipeline.selectors.competitors import WinLossFilters, win_loss_report

from .factories import (
    lost_reason,
    make_opportunity,
    make_organization,
    make_product,
    renewals,
    stage,
)
from .factories_competitors import make_competitor

pytestmark = pytest.mark.django_db

YEAR = WinLossFilters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))


def at(month: int, day: int, year: int = 2024) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


@pytest.fixture
def world(users):
    """Two competitors, two clients (manufacturing in Bayern, retail in Hessen), and these deals
    closed in 2024 (plus some that must not count):

    | # | closed | client | outcome | amount | competitors | lines: discount |
    | 1 | Feb    | 1      | won     | 10,000 | Alpha       | 10 %            |
    | 2 | May    | 1      | won     | 20,000 | Alpha, Beta | 20 % on 30,000 and 4 % on 10,000 → 16 % |
    | 3 | Jun    | 2      | won     |  5,000 | —           | 4 %             |
    | 4 | Aug    | 2      | won     |  8,000 | —           | (no lines)      |
    | 5 | Sep    | 2      | won     |  4,000 | —           | 0 %             |
    | 6 | Mar    | 1      | lost (Price) to Alpha (presence recorded) | 7,000 |
    | 7 | Nov    | 2      | lost (Timing)                             | 3,000 |
    | 8 | Dec    | 1      | lost (Price) to Beta (no presence recorded) | 4,000 |
    """
    o, a = users.owner, users.team_a
    alpha = make_competitor(owner=o, team=a, name="Alpha Kälte")
    beta = make_competitor(owner=o, team=a, name="Beta Klima")
    c1 = make_organization(owner=o, team=a, name="Werk Eins")
    c1.industry, c1.region, c1.country = "manufacturing", "Bayern", "DE"
    c1.save()
    c2 = make_organization(owner=o, team=a, name="Handel Zwei")
    c2.industry, c2.region, c2.country = "retail", "Hessen", "DE"
    c2.save()
    product = make_product()
    won, lost = stage("Won"), stage("Lost")

    def deal(n, org, st, amount, closed, *, competitors=(), lines=(), **extra):
        opp = make_opportunity(
            owner=o,
            team=a,
            organization=org,
            stage=st,
            amount=Decimal(amount),
            closed_at=closed,
            title=f"Deal {n}",
            **extra,
        )
        for competitor, status in competitors:
            OpportunityCompetitor.objects.create(
                opportunity=opp, competitor=competitor, status=status
            )
        for qty, price, discount in lines:
            OpportunityLine.objects.create(
                opportunity=opp,
                product=product,
                quantity=Decimal(qty),
                unit_price=Decimal(price),
                discount=Decimal(discount),
            )
        return opp

    deal(1, c1, won, 10000, at(2, 10), competitors=[(alpha, "shortlisted")], lines=[(2, 5000, 10)])
    deal(
        2,
        c1,
        won,
        20000,
        at(5, 5),
        competitors=[(alpha, "shortlisted"), (beta, "incumbent")],
        lines=[(1, 30000, 20), (2, 5000, 4)],
    )
    deal(3, c2, won, 5000, at(6, 1), lines=[(1, 5000, 4)])
    deal(4, c2, won, 8000, at(8, 20))
    deal(5, c2, won, 4000, at(9, 30), lines=[(4, 1000, 0)])
    deal(
        6,
        c1,
        lost,
        7000,
        at(3, 3),
        competitors=[(alpha, "lost_to")],
        lost_reason=lost_reason("Price"),
        won_competitor=alpha,
    )
    deal(7, c2, lost, 3000, at(11, 11), lost_reason=lost_reason("Timing"))
    deal(8, c1, lost, 4000, at(12, 24), lost_reason=lost_reason("Price"), won_competitor=beta)
    # not counted: closed before the period, still open, or not visible to the owner
    deal(9, c1, won, 99000, at(12, 20, 2023), competitors=[(alpha, "shortlisted")])
    deal(10, c1, stage("Proposal"), 50000, None, competitors=[(alpha, "shortlisted")])
    hidden_org = make_organization(owner=users.other, team=users.team_b, name="Fremd")
    hidden = make_opportunity(
        owner=users.other,
        team=users.team_b,
        organization=hidden_org,
        stage=won,
        amount=Decimal(1000),
        closed_at=at(4, 4),
    )
    OpportunityCompetitor.objects.create(opportunity=hidden, competitor=alpha)
    return {"alpha": alpha, "beta": beta, "hidden": hidden}


def _numbers(row):
    return (row.won, row.lost, row.win_rate, row.won_amount, row.lost_amount)


def test_totals_and_groupings(users, world):
    report = win_loss_report(users.owner, YEAR)

    assert _numbers(report.totals) == (5, 3, 62.5, Decimal("47000.00"), Decimal("14000.00"))
    assert [(r.label, *_numbers(r)) for r in report.by_competitor] == [
        ("Alpha Kälte", 2, 1, 66.7, Decimal("30000.00"), Decimal("7000.00")),
        ("Beta Klima", 1, 1, 50.0, Decimal("20000.00"), Decimal("4000.00")),
    ]
    assert _numbers(report.no_competitor) == (3, 1, 75.0, Decimal("17000.00"), Decimal("3000.00"))
    assert [(r.label, r.lost, r.lost_amount) for r in report.by_reason] == [
        ("Price", 2, Decimal("11000.00")),
        ("Timing", 1, Decimal("3000.00")),
    ]
    assert [(r.label, r.won, r.lost) for r in report.by_industry] == [
        ("Manufacturing", 2, 2),
        ("Retail", 3, 1),
    ]
    assert [(r.label, r.won, r.lost) for r in report.by_region] == [
        ("Bayern · DE", 2, 2),
        ("Hessen · DE", 3, 1),
    ]
    assert [(r.label, r.won, r.lost) for r in report.by_quarter] == [
        ("Q1 2024", 1, 1),
        ("Q2 2024", 2, 0),
        ("Q3 2024", 2, 0),
        ("Q4 2024", 0, 2),
    ]


def test_price_pressure_compares_won_deals_with_and_without_a_competitor(users, world):
    pressure = win_loss_report(users.owner, YEAR).price_pressure
    # with: deals 1 (10 %) and 2 (16 %); without: deals 3 (4 %) and 5 (0 %); deal 4 has no lines
    assert (pressure.present_discount, pressure.present_deals) == (13.0, 2)
    assert (pressure.absent_discount, pressure.absent_deals) == (2.0, 2)
    assert pressure.difference == 11.0


def test_visibility_and_filters(users, world):
    admin = win_loss_report(users.admin, YEAR)
    assert (admin.totals.won, admin.totals.lost) == (6, 3)
    assert admin.by_competitor[0].won == 3

    only_q4 = WinLossFilters(date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 12, 31))
    assert _numbers(win_loss_report(users.owner, only_q4).totals)[:2] == (0, 2)
    other_owner = WinLossFilters(**{**YEAR.__dict__, "owner_id": users.other.pk})
    assert win_loss_report(users.owner, other_owner).totals.total == 0
    team_b = WinLossFilters(**{**YEAR.__dict__, "team_id": users.team_b.pk})
    assert win_loss_report(users.admin, team_b).totals.total == 1
    in_renewals = WinLossFilters(**{**YEAR.__dict__, "pipeline_id": renewals().pk})
    assert win_loss_report(users.owner, in_renewals).totals.total == 0
    dollars = WinLossFilters(**{**YEAR.__dict__, "currency": "USD"})
    assert win_loss_report(users.owner, dollars).totals.total == 0


def test_report_queries_do_not_grow_with_the_deals(users, world):
    with CaptureQueriesContext(connection) as ctx:
        win_loss_report(users.owner, YEAR)
    assert len(ctx.captured_queries) <= 12


def test_page_shows_the_numbers_and_charts(users, world):
    client = Client()
    client.force_login(users.owner)
    response = client.get(
        reverse("pipeline:competitor_win_loss"),
        {"date_from": "2024-01-01", "date_to": "2024-12-31"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") >= 2
    assert "Alpha Kälte" in html and "66.7 %" in html
    assert "13.0 %" in html and "2.0 %" in html
    assert "11.0 percentage points more" in html
    bad = client.get(
        reverse("pipeline:competitor_win_loss"),
        {"date_from": "2024-12-31", "date_to": "2024-01-01"},
    )
    assert "The end of the period is before its start." in bad.content.decode()


def test_default_period_is_the_last_twelve_months(users, world):
    today = dt.date(2025, 3, 1)
    filters = WinLossFilters.default(today)
    assert (filters.date_from, filters.date_to) == (dt.date(2024, 3, 2), today)
    assert WinLossFilters.default(dt.date(2024, 2, 29)).date_from == dt.date(2023, 3, 1)


def test_api_returns_the_same_numbers(users, api, world):
    response = api(users.owner).get(
        "/api/pipeline/win-loss/", {"date_from": "2024-01-01", "date_to": "2024-12-31"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["totals"]["won"] == 5 and data["totals"]["win_rate"] == 62.5
    assert data["totals"]["won_amount"] == "47000.00"
    assert [(r["label"], r["won"], r["lost"]) for r in data["by_competitor"]] == [
        ("Alpha Kälte", 2, 1),
        ("Beta Klima", 1, 1),
    ]
    assert data["price_pressure"] == {
        "present_discount": 13.0,
        "present_deals": 2,
        "absent_discount": 2.0,
        "absent_deals": 2,
        "difference": 11.0,
    }
    assert data["by_quarter"][0]["key"] == "2024-Q1"
    assert (
        api(users.owner).get("/api/pipeline/win-loss/", {"date_from": "nonsense"}).status_code
        == 400
    )
    from rest_framework.test import APIClient

    assert APIClient().get("/api/pipeline/win-loss/").status_code in (401, 403)
