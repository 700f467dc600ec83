"""Orders as a source of target attainment: an order linked to no opportunity counts at its net
total, a won deal once (not again as the order from its quote), cancelled orders and orders of
another period not at all; by the order's owner, team and organization, among the orders the
user may see; dated by the order's day, which for an order entered late on 31 March in Berlin is
31 March."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.commerce import services as commerce
from accord.commerce.choices import OrderStatus
from accord.commerce.pricing import document_totals
from accord.commerce.selectors import attainment as order_source
from accord.commerce.tests.factories_sales import make_order, make_quote
from accord.pipeline.selectors.targets import ATTAINMENT_SOURCES, attainment

from .factories_targets import deal, make_target, organization

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
Q1 = dt.date(2026, 1, 1)
D = Decimal


def lines(amount: str) -> list[dict[str, str]]:
    return [{"description": "Wartung", "quantity": "1", "unit_price": amount}]


def q1_orders(users):
    """A won deal of 1,000 in Q1 2026 and orders around it; 500 of them count as orders."""
    u = users
    org = organization(owner=u.owner, team=u.team_a, industry="it", region="Bayern", name="IT AG")
    won = deal(
        stage_name="Won",
        amount="1000",
        owner=u.owner,
        team=u.team_a,
        closed_at=dt.datetime(2026, 2, 10, 10, tzinfo=BERLIN),
        organization=org,
    )
    quote = make_quote(
        owner=u.owner,
        team=u.team_a,
        organization=org,
        opportunity=won,
        lines=lines("1000"),
        issued_on=dt.date(2026, 2, 1),
    )
    mine = {"owner": u.owner, "team": u.team_a, "organization": org}
    # the order from the won deal's quote, linked to the deal only through its quote
    make_order(**mine, quote=quote, lines=lines("1000"), ordered_on=dt.date(2026, 2, 12))
    # linked to the deal directly
    make_order(**mine, opportunity=won, lines=lines("300"), ordered_on=dt.date(2026, 2, 13))
    make_order(**mine, lines=lines("500"), ordered_on=dt.date(2026, 3, 5))  # counts
    cancelled = make_order(**mine, lines=lines("700"), ordered_on=dt.date(2026, 2, 20))
    commerce.order_set_status(actor=u.owner, order=cancelled, status=OrderStatus.CANCELLED)
    make_order(**mine, lines=lines("800"), ordered_on=dt.date(2026, 4, 1))  # Q2
    make_order(**mine, lines=lines("900"), ordered_on=dt.date(2025, 12, 31))  # Q4 2025
    return org


def test_orders_without_an_opportunity_add_to_won_deals_once(users):
    q1_orders(users)
    company = make_target(scope="company", period_start=Q1, amount="3000")
    industry = make_target(scope="industry", industry="it", period_start=Q1, amount="1500")
    region = make_target(scope="region", region="bayern", period_start=Q1, amount="1000")
    q2 = make_target(scope="company", period_start=dt.date(2026, 4, 1), amount="1000")
    march = make_target(scope="company", period_kind="month", period_start=dt.date(2026, 3, 1))
    found = attainment([company, industry, region, q2, march], users.admin)
    assert found[company.pk].reached == D("1500.00")
    assert found[company.pk].percent == D("50.0")
    assert found[company.pk].by_source == {"won_opportunities": D("1000.00"), "orders": D("500.00")}
    assert found[industry.pk].reached == D("1500.00") and found[industry.pk].percent == D("100.0")
    assert found[region.pk].by_source["orders"] == D("500.00")  # region matched in any case
    assert found[q2.pk].by_source == {"won_opportunities": D("0.00"), "orders": D("800.00")}
    assert found[march.pk].by_source == {"won_opportunities": D("0.00"), "orders": D("500.00")}


def test_user_and_team_targets_count_the_order_owner_and_team(users):
    u = users
    org = organization(owner=u.owner, team=u.team_a)
    day = dt.date(2026, 2, 2)
    make_order(owner=u.owner, team=u.team_a, organization=org, lines=lines("500"), ordered_on=day)
    make_order(owner=u.other, team=u.team_b, organization=org, lines=lines("200"), ordered_on=day)
    # owned by the owner, for team B: the owner's and team B's, not team A's
    make_order(owner=u.owner, team=u.team_b, organization=org, lines=lines("50"), ordered_on=day)
    targets = {
        "owner": make_target(scope="user", user=u.owner, period_start=Q1),
        "other": make_target(scope="user", user=u.other, period_start=Q1),
        "team_a": make_target(scope="team", team=u.team_a, period_start=Q1),
        "team_b": make_target(scope="team", team=u.team_b, period_start=Q1),
        "company": make_target(scope="company", period_start=Q1),
    }
    found = attainment(targets.values(), u.admin)
    reached = {name: found[t.pk].by_source["orders"] for name, t in targets.items()}
    assert reached == {
        "owner": D("550.00"),
        "other": D("200.00"),
        "team_a": D("500.00"),
        "team_b": D("250.00"),
        "company": D("750.00"),
    }
    # a member counts the orders they may see: their own and their teams'
    assert attainment([targets["company"]], u.other)[targets["company"].pk].reached == D("250.00")
    assert attainment([targets["company"]], u.owner)[targets["company"].pk].reached == D("550.00")


def test_an_order_entered_late_on_31_march_in_berlin_belongs_to_march(users, monkeypatch):
    u = users
    org = organization(owner=u.owner, team=u.team_a)

    def order_entered_at(moment: dt.datetime, amount: str):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return make_order(owner=u.owner, team=u.team_a, organization=org, lines=lines(amount))

    late = order_entered_at(dt.datetime(2026, 3, 31, 23, 30, tzinfo=BERLIN), "100")  # 21:30 UTC
    after = order_entered_at(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC), "40")  # 00:30 1 Apr
    monkeypatch.undo()
    assert (late.ordered_on, after.ordered_on) == (dt.date(2026, 3, 31), dt.date(2026, 4, 1))
    march = make_target(scope="company", period_kind="month", period_start=dt.date(2026, 3, 1))
    april = make_target(scope="company", period_kind="month", period_start=dt.date(2026, 4, 1))
    q1 = make_target(scope="company", period_start=Q1)
    expected = {march.pk: D("100.00"), april.pk: D("40.00"), q1.pk: D("100.00")}
    for zone in ("Europe/Berlin", "UTC", "Asia/Tokyo", "America/New_York"):  # the viewer's zone
        with timezone.override(zone):
            found = attainment([march, april, q1], u.admin)
        assert {pk: a.by_source["orders"] for pk, a in found.items()} == expected, zone


def test_the_order_total_counted_is_the_printed_net_total(users):
    odd = [
        {"description": "Wartung", "quantity": "2", "unit_price": "100.00", "discount": "10"},
        {"description": "Fachbuch", "quantity": "3", "unit_price": "33.33", "vat_rate": "7"},
        # 3 × 0.35 − 12.5 % = 0.91875 → 0.92; 1 × 0.01 − 50 % = 0.005 → 0.01 (half up)
        {"description": "Schraube", "quantity": "3", "unit_price": "0.35", "discount": "12.5"},
        {"description": "Scheibe", "quantity": "1", "unit_price": "0.01", "discount": "50"},
        {"description": "Stunde", "quantity": "1.5", "unit_price": "19.99", "discount": "3"},
    ]
    order = make_order(
        owner=users.owner, team=users.team_a, lines=odd, ordered_on=dt.date(2026, 1, 15)
    )
    printed = document_totals(list(order.lines.values())).net
    assert printed == D("310.01")  # 180.00 + 99.99 + 0.92 + 0.01 + 29.09 (29.08545)
    target = make_target(scope="company", period_start=Q1)
    assert attainment([target], users.admin)[target.pk].by_source["orders"] == printed


def test_target_page_and_api_show_each_source_with_its_label(users, client, api):
    q1_orders(users)
    target = make_target(scope="company", period_start=Q1, amount="3000")
    client.force_login(users.manager)
    body = client.get(reverse("pipeline:revenuetarget_detail", args=[target.pk])).content.decode()
    assert "1,500 EUR (50.0 %)" in body
    assert "1,000 EUR from won opportunities closed in the period" in body
    assert "500 EUR from orders dated in the period and not linked to an opportunity" in body
    listing = client.get(reverse("pipeline:revenuetarget_list")).content.decode()
    assert (
        "Attainment is counted from won opportunities closed in the period and from orders "
        "dated in the period and not linked to an opportunity, among the records you may see."
    ) in listing
    assert "500 EUR from orders dated in the period" in listing  # the share, on the amount
    forecast = client.get(reverse("pipeline:forecast"), {"period": "quarter:2026-01-01"})
    text = forecast.content.decode()  # its won figure counts the same sources: 1,500
    assert (
        "Won revenue is counted from won opportunities closed in the period and from orders "
        "dated in the period and not linked to an opportunity."
    ) in text
    assert "1,500" in text
    response = api(users.manager).get(f"/api/pipeline/targets/{target.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["won"] == "1500.00" and data["attainment_percent"] == 50.0
    assert [(s["source"], s["amount"]) for s in data["won_by_source"]] == [
        ("won_opportunities", "1000.00"),
        ("orders", "500.00"),
    ]
    assert data["won_by_source"][1]["label"] == str(order_source.SOURCE_LABEL)


def test_registering_the_order_source_again_changes_nothing(users):
    before = list(ATTAINMENT_SOURCES)
    order_source.register()
    assert list(ATTAINMENT_SOURCES) == before
    assert [name for name, _label, _source in before] == ["won_opportunities", "orders"]
