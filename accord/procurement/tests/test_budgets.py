"""Budgets: the rules of the services, spend and forecast on a constructed quarter, the alerts
(idempotent), visibility, the pages, the cost trends and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.models import Notification
from accord.core.testing import make_users
from accord.procurement.models import Budget
from accord.procurement.selectors import budgets as selectors
from accord.procurement.services import budgets as services

from . import factories_scorecards as f

pytestmark = pytest.mark.django_db

Q4 = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 10, 23)  # day 23 of 92


@pytest.fixture
def users(db):
    return make_users()


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def build(users):
    cat = f.category("Kabel")
    other_cat = f.category("Logistik")
    unit = f.unit(owner=users.owner, team=users.team_a)
    other_unit = f.unit(name="Werk Ulm", owner=users.owner, team=users.team_a)
    sup = f.supplier(owner=users.owner, team=users.team_a, categories=[cat])
    hidden_sup = f.supplier(name="Fremd GmbH", owner=users.other, team=users.team_b)
    # counted: 100 × 20 + 10 × 50 (of which 10 delivered at 55) = 2 550
    po = f.order(
        supplier=sup,
        business_unit=unit,
        ordered_on=dt.date(2026, 10, 5),
        lines=[
            {"quantity": 100, "unit_price": "20", "category": cat, "unit": "m"},
            {"quantity": 10, "unit_price": "50", "category": cat, "unit": "m"},
            {"quantity": 3, "unit_price": "999", "category": other_cat},  # other category
        ],
        owner=users.owner,
        team=users.team_a,
    )
    f.deliver(po, on=dt.date(2026, 10, 20), lines=[(2, 10, 0, "55"), (1, 40, 0, None)])
    # counted too: an order of another team (the spend counts every order)
    f.order(
        supplier=hidden_sup,
        business_unit=unit,
        ordered_on=dt.date(2026, 10, 10),
        lines=[{"quantity": 1, "unit_price": "1000", "category": cat, "unit": "m"}],
        owner=users.other,
        team=users.team_b,
    )
    # not counted: cancelled, draft, other unit, before the quarter, other currency
    for kwargs in (
        {"status": "cancelled", "business_unit": unit},
        {"status": "draft", "business_unit": unit},
        {"business_unit": other_unit},
        {"business_unit": unit, "ordered_on": dt.date(2026, 9, 30)},
        {"business_unit": unit, "currency": "USD"},
    ):
        f.order(
            supplier=sup,
            ordered_on=kwargs.pop("ordered_on", dt.date(2026, 10, 6)),
            lines=[{"quantity": 1, "unit_price": "777", "category": cat, "unit": "m"}],
            **kwargs,
        )
    budget = f.budget(
        business_unit=unit,
        category=cat,
        start=Q4,
        amount="10000",
        owner=users.owner,
        team=users.team_a,
    )
    return budget, unit, cat, sup


def test_spend_and_run_rate_forecast(users):
    budget, *_ = build(users)
    row = selectors.budget_list(users.admin).get(pk=budget.pk)
    status = selectors.budget_status(row, today=TODAY)
    assert status.actual == Decimal("3550.00")  # 2 000 + 500 + 10 × 5 more charged + 1 000
    assert status.forecast == Decimal("14200.00")  # 3 550 ÷ 23 × 92
    assert status.remaining == Decimal("6450.00")
    assert status.used_percent == pytest.approx(35.5)
    assert status.forecast_over and not status.over_warning and status.flagged


def test_rules_of_the_service(users):
    _budget, unit, cat, sup = build(users)
    data = {
        "business_unit": unit,
        "category": cat,
        "period_kind": "quarter",
        "period_start": dt.date(2026, 11, 15),
        "amount": Decimal("500"),
    }
    with pytest.raises(ValidationError) as exc:
        services.budget_create(actor=users.owner, data=data)
    message = exc.value.message_dict["period_start"][0]
    assert "first day of a quarter" in message and "10/01/2026" in message
    data["period_start"] = Q4
    with pytest.raises(ValidationError) as exc:
        services.budget_create(actor=users.owner, data=data)
    assert "already has a budget" in exc.value.message_dict["period_start"][0]
    data.update(period_start=dt.date(2027, 1, 1), amount=Decimal("-1"))
    with pytest.raises(ValidationError) as exc:
        services.budget_create(actor=users.owner, data=data)
    assert "below zero" in exc.value.message_dict["amount"][0]
    data.update(amount=Decimal("500"), business_unit=sup)
    with pytest.raises(ValidationError) as exc:
        services.budget_create(actor=users.owner, data=data)
    assert "no internal business unit" in exc.value.message_dict["business_unit"][0]
    data["business_unit"] = unit
    created = services.budget_create(actor=users.owner, data=data)
    assert created.period_end == dt.date(2027, 3, 31)
    assert created.owner == users.owner
    updated = services.budget_update(
        actor=users.owner, instance=created, data={"period_kind": "year"}
    )
    assert updated.period_end == dt.date(2027, 12, 31)


def test_alerts_are_sent_once(users):
    budget, *_ = build(users)
    assert services.budget_alerts(today=TODAY) == 1  # forecast over the budget
    assert services.budget_alerts(today=TODAY) == 0
    note = Notification.objects.get(user=users.owner)
    assert note.key == f"budget:{budget.pk}:2026-10-01:forecast"
    assert "will be exceeded" in note.title
    Budget.objects.filter(pk=budget.pk).update(amount=Decimal("3800"))  # 93 % used
    assert services.budget_alerts(today=TODAY) == 1
    Budget.objects.filter(pk=budget.pk).update(amount=Decimal("3500"))  # over budget
    assert services.budget_alerts(today=TODAY) == 1
    assert services.budget_alerts(today=TODAY) == 0
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {
        f"budget:{budget.pk}:2026-10-01:{suffix}" for suffix in ("forecast", "90", "100")
    }
    # a budget of a period not running today is not looked at
    assert services.budget_alerts(today=dt.date(2027, 2, 1)) == 0


def test_member_sees_only_visible_budgets_and_flagged_rows(users, client):
    budget, unit, cat, _sup = build(users)
    hidden = f.budget(
        business_unit=unit,
        category=cat,
        start=dt.date(2026, 7, 1),
        amount="5",
        owner=users.other,
        team=users.team_b,
    )
    assert list(selectors.budget_list(users.owner)) == [budget]
    assert set(selectors.budget_list(users.manager)) == {budget, hidden}
    Budget.objects.filter(pk=budget.pk).update(amount=Decimal("4000"))
    client.force_login(users.owner)
    page = client.get("/budgets/")
    assert page.status_code == 200
    assert budget.get_absolute_url() in page.content.decode()
    assert hidden.get_absolute_url() not in page.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    detail = client.get(budget.get_absolute_url())
    text = detail.content.decode()
    assert "3,550.00" in text
    assert "Fremd GmbH" not in text  # the line of the hidden order is not listed
    assert "forecast over budget" in text.lower()  # 3 550 spent by today carries past 4 000
    # the spend filter: 88.75 % used is under 90 %; the hidden Q3 budget of 5 holds the order of
    # 30 September (777)
    client.force_login(users.manager)
    under = client.get("/budgets/?used=under").content.decode()
    assert budget.get_absolute_url() in under and hidden.get_absolute_url() not in under
    Budget.objects.filter(pk=budget.pk).update(amount=Decimal("3550"))
    full = client.get("/budgets/?used=100").content.decode()
    assert budget.get_absolute_url() in full and hidden.get_absolute_url() in full
    ninety = client.get("/budgets/?used=90&year=2026&period_kind=quarter").content.decode()
    assert budget.get_absolute_url() in ninety


def test_budget_api_crud_and_actuals(users):
    budget, unit, cat, _sup = build(users)
    client = api(users.owner)
    listed = client.get("/api/procurement/budgets/").json()["results"]
    assert [row["id"] for row in listed] == [budget.pk]
    assert listed[0]["actual"] == "3550.00"
    actuals = client.get(f"/api/procurement/budgets/{budget.pk}/actuals/").json()
    assert actuals["actual"] == "3550.00"
    assert len(actuals["lines"]) == 2  # the other team's order line is not listed
    created = client.post(
        "/api/procurement/budgets/",
        {
            "business_unit": unit.pk,
            "category": cat.pk,
            "period_kind": "month",
            "period_start": "2026-11-02",
            "amount": "100.00",
        },
        format="json",
    )
    assert created.status_code == 400
    assert "Did you mean 11/01/2026?" in created.json()["period_start"][0]
    created = client.post(
        "/api/procurement/budgets/",
        {
            "business_unit": unit.pk,
            "category": cat.pk,
            "period_kind": "month",
            "period_start": "2026-11-01",
            "amount": "100.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert api(users.viewer).delete(f"/api/procurement/budgets/{budget.pk}/").status_code == 403
    assert api(users.other).get(f"/api/procurement/budgets/{budget.pk}/").status_code == 404


def test_cost_trends_agreed_and_charged_per_unit(users, client):
    _budget, _unit, cat, sup = build(users)
    trends = selectors.cost_trends(
        users.admin, category=cat, period="month", today=dt.date(2026, 10, 31)
    )
    assert trends.unit == "m"
    october = trends.labels.index("2026-10")
    by_supplier = {s.supplier: s for s in trends.series}
    # agreed in October (placed orders in EUR and USD alike: prices per unit): Kabelwerk Süd
    kabel = by_supplier["Kabelwerk Süd GmbH"]
    # lines: 100 m × 20, 10 m × 50, 1 m × 777 (other unit's order), 1 m × 777 (USD order)
    assert kabel.agreed[october] == pytest.approx((2000 + 500 + 777 + 777) / 112, abs=1e-4)
    assert kabel.charged[october] == pytest.approx((40 * 20 + 10 * 55) / 50)
    # a member sees only the lines of orders they may see
    member = selectors.cost_trends(
        users.owner, category=cat, period="month", today=dt.date(2026, 10, 31)
    )
    assert "Fremd GmbH" not in {s.supplier for s in member.series}
    client.force_login(users.owner)
    page = client.get(f"/budgets/cost-trends/?category={cat.pk}&period=quarter")
    assert page.status_code == 200
    assert "Kabelwerk Süd GmbH" in page.content.decode()
    response = api(users.owner).get(f"/api/procurement/budgets/cost-trends/?category={cat.pk}")
    assert response.status_code == 200
    assert response.json()["unit"] == "m"
