"""Revenue target pages and API: who sees which target, who may set them, attainment exact
(including a deal closed late on the last day of a quarter, in Berlin and in UTC)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.views import list_export_table
from accord.pipeline.models import RevenueTarget
from accord.pipeline.selectors.targets import attainment, target_list

from .factories_targets import deal, make_target, organization

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
Q1 = dt.date(2025, 1, 1)


@pytest.fixture
def targets(users):
    u = users
    return {
        "company": make_target(scope="company"),
        "industry": make_target(scope="industry", industry="it"),
        "region": make_target(scope="region", region="Bayern"),
        "user_owner": make_target(scope="user", user=u.owner),
        "user_other": make_target(scope="user", user=u.other),
        "team_a": make_target(scope="team", team=u.team_a),
        "team_b": make_target(scope="team", team=u.team_b),
    }


VISIBLE = {
    "admin": {"company", "industry", "region", "user_owner", "user_other", "team_a", "team_b"},
    "manager": {"company", "industry", "region", "user_owner", "user_other", "team_a", "team_b"},
    "owner": {"company", "industry", "region", "user_owner", "team_a"},
    "viewer": {"company", "industry", "region", "team_a"},
    "other": {"company", "industry", "region", "user_other", "team_b"},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_visibility_of_targets_by_role(users, targets, role, client, api):
    user = getattr(users, role)
    names = {v.pk: k for k, v in targets.items()}
    assert {names[t.pk] for t in target_list(user)} == VISIBLE[role]

    client.force_login(user)
    page = client.get(reverse("pipeline:revenuetarget_list")).content.decode()
    for key, target in targets.items():
        url = target.get_absolute_url()
        assert (f'href="{url}"' in page) == (key in VISIBLE[role]), key
        status = client.get(url).status_code
        assert status == (200 if key in VISIBLE[role] else 404), key

    listed = api(user).get("/api/pipeline/targets/").json()["results"]
    assert {names[row["id"]] for row in listed} == VISIBLE[role]


def test_member_cannot_create_change_or_delete(users, targets, client, api):
    team_target = targets["team_a"]  # the owner's own team
    for role in ("owner", "viewer"):
        client.force_login(getattr(users, role))
        page = client.get(reverse("pipeline:revenuetarget_list"))
        assert reverse("pipeline:revenuetarget_add") not in page.content.decode()
        detail = client.get(team_target.get_absolute_url()).content.decode()
        assert reverse("pipeline:revenuetarget_edit", args=[team_target.pk]) not in detail
        assert client.get(reverse("pipeline:revenuetarget_add")).status_code == 403
        form = {
            "period_kind": "quarter",
            "period_start": "2025-04-01",
            "scope": "company",
            "amount": "5",
            "currency": "EUR",
        }
        assert client.post(reverse("pipeline:revenuetarget_add"), form).status_code == 403
        edit = reverse("pipeline:revenuetarget_edit", args=[team_target.pk])
        assert client.get(edit).status_code == 403
        delete = reverse("pipeline:revenuetarget_delete", args=[team_target.pk])
        assert client.post(delete).status_code == 403

        client_api = api(getattr(users, role))
        response = client_api.post("/api/pipeline/targets/", form, format="json")
        assert response.status_code == 403
        response = client_api.patch(
            f"/api/pipeline/targets/{team_target.pk}/", {"amount": "1"}, format="json"
        )
        assert response.status_code == 403
    assert RevenueTarget.objects.get(pk=team_target.pk).amount == Decimal("100000")
    assert RevenueTarget.objects.count() == len(targets)


def test_manager_sets_a_target_on_the_page_and_sees_the_rule_messages(users, client):
    client.force_login(users.manager)
    add = reverse("pipeline:revenuetarget_add")
    form = {
        "period_kind": "quarter",
        "period_start": "2025-05-03",
        "scope": "team",
        "amount": "-10",
        "currency": "EUR",
    }
    response = client.post(add, form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "first day of a quarter" in errors["period_start"][0]
    assert "Choose the team" in errors["team"][0]
    assert "below zero" in errors["amount"][0]
    form.update({"period_start": "2025-04-01", "team": users.team_a.pk, "amount": "120000"})
    response = client.post(add, form)
    assert response.status_code == 302, response.context["form"].errors
    target = RevenueTarget.objects.get()
    assert target.scope_key == f"team:{users.team_a.pk}"
    assert (
        client.get(reverse("pipeline:revenuetarget_history", args=[target.pk])).status_code == 200
    )
    # the same again: refused with a message, not a database error
    response = client.post(add, form)
    assert "already a target" in response.context["form"].errors["period_start"][0]


def test_manager_api_refusals_name_the_field(users, api):
    client = api(users.manager)
    response = client.post(
        "/api/pipeline/targets/",
        {"period_kind": "year", "period_start": "2025-02-01", "scope": "user", "amount": "5"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "period_start" in body and "user" in body
    response = client.post(
        "/api/pipeline/targets/",
        {"period_kind": "year", "period_start": "2025-01-01", "scope": "company", "amount": "5"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["scope_key"] == "company"
    assert response.json()["won"] == "0.00"


def quarter_end_data(users):
    """Deals around the first quarter of 2025; only some are won within it in Berlin time."""
    u = users
    late_berlin = dt.datetime(2025, 3, 31, 23, 30, tzinfo=BERLIN)  # 21:30 UTC: Q1
    late_utc = dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC)  # 01:30 on 1 April in Berlin
    early_berlin = dt.datetime(2025, 1, 1, 0, 30, tzinfo=BERLIN)  # 23:30 UTC on 31 December
    it = organization(owner=u.owner, team=u.team_a, industry="it", name="IT GmbH")
    deal(stage_name="Won", amount="1000", owner=u.owner, team=u.team_a, closed_at=late_berlin)
    deal(stage_name="Won", amount="20000", owner=u.owner, team=u.team_a, closed_at=late_utc)
    deal(
        stage_name="Won",
        amount="300",
        owner=u.owner,
        team=u.team_a,
        closed_at=early_berlin,
        organization=it,
    )
    deal(
        stage_name="Lost",
        amount="4000",
        owner=u.owner,
        team=u.team_a,
        closed_at=dt.datetime(2025, 2, 1, 12, tzinfo=BERLIN),
    )
    deal(stage_name="Proposal", amount="50000", owner=u.owner, team=u.team_a, expected=Q1)
    deal(
        stage_name="Won",
        amount="600",
        owner=u.other,
        team=u.team_b,
        closed_at=dt.datetime(2025, 2, 15, 10, tzinfo=BERLIN),
    )
    deal(  # the renewals pipeline's won stage counts too
        stage_name="Renewed",
        amount="5",
        owner=u.other,
        team=u.team_b,
        closed_at=dt.datetime(2025, 3, 1, 10, tzinfo=BERLIN),
        pipeline=__import__("accord.pipeline.tests.factories", fromlist=["renewals"]).renewals(),
    )


def test_attainment_is_exact_and_counted_in_company_time(users, settings):
    assert settings.TIME_ZONE == "Europe/Berlin"
    quarter_end_data(users)
    company = make_target(scope="company", amount="10000")
    owner = make_target(scope="user", user=users.owner, amount="2600")
    team_b = make_target(scope="team", team=users.team_b, amount="0")
    industry = make_target(scope="industry", industry="it", amount="300")
    q2 = make_target(scope="company", period_start=dt.date(2025, 4, 1), amount="40000")
    year = make_target(scope="company", period_kind="year", amount="100000")
    month = make_target(scope="company", period_kind="month", period_start=dt.date(2025, 3, 1))
    found = attainment([company, owner, team_b, industry, q2, year, month], users.admin)
    assert found[company.pk].reached == Decimal("1905.00")  # 1,000 + 300 + 600 + 5
    assert found[company.pk].percent == Decimal("19.1")
    assert found[owner.pk].reached == Decimal("1300.00")
    assert found[owner.pk].percent == Decimal("50.0")
    assert found[team_b.pk].reached == Decimal("605.00") and found[team_b.pk].percent is None
    assert found[industry.pk].reached == Decimal("300.00")
    assert found[q2.pk].reached == Decimal("20000.00")  # 31 March 23:30 UTC is April in Berlin
    assert found[year.pk].reached == Decimal("21905.00")
    assert found[month.pk].reached == Decimal("1005.00")
    assert found[company.pk].by_source == {
        "won_opportunities": Decimal("1905.00"),
        "orders": Decimal("0.00"),
    }
    # a member counts what they may see
    as_member = attainment([company], users.owner)
    assert as_member[company.pk].reached == Decimal("1300.00")


def test_list_shows_attainment_within_query_budget_and_exports_it(users, client, settings):
    quarter_end_data(users)
    for i in range(6):
        make_target(scope="company", period_start=dt.date(2023 + i // 4, 1 + 3 * (i % 4), 1))
    make_target(scope="company", amount="10000")
    client.force_login(users.admin)
    url = reverse("pipeline:revenuetarget_list")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 8, [q["sql"][:120] for q in ctx.captured_queries]
    body = response.content.decode()
    assert "19.1 %" in body and "from won opportunities" in body
    filtered = client.get(url, {"period": "quarter:2025-01-01", "scope": "company"})
    assert filtered.status_code == 200
    assert filtered.context["table"].paginator.count == 1
    table = list_export_table(
        "pipeline:revenuetarget_list", users.admin, "period=quarter:2025-01-01"
    )
    rows = list(table.export_rows())
    headers = [c.header for c in table.export_columns()]
    row = dict(zip(headers, rows[0], strict=True))
    assert row["Won so far"] == Decimal("1905.00")
    assert row["Attainment"] == Decimal("19.1")
    assert row["Target"] == Decimal("10000.00")
