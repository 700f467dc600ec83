"""Permission matrix and query budgets of budgets (pages and API): viewers read, members change
their own and their team's, managers and admins everything; another team's budget is a 404."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core import testing
from accord.parties.models import Organization
from accord.procurement.models import Budget, SupplyCategory

from . import factories_scorecards as f

_serial = itertools.count(1)


def make_budget(*, owner, team) -> Budget:
    """A budget of its own cost category (one budget per unit, category and period)."""
    n = next(_serial)
    unit = f.unit(name=f"Werk {n}", owner=owner, team=team)
    return f.budget(
        business_unit=unit,
        category=f.category(f"Kostenart {n}"),
        start=dt.date(2026, 10, 1),
        amount="12500.00",
        owner=owner,
        team=team,
    )


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def page(action: str, budget: Budget) -> str:
    return reverse(f"procurement:budget_{action}", args=[budget.pk])


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Budget, Organization, SupplyCategory)


class BudgetPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Budget
    namespace = "procurement"
    list_query_budget = 9
    detail_query_budget = 6

    @classmethod
    def make_object(cls, *, owner, team):
        return make_budget(owner=owner, team=team)

    def form_data(self):
        unit = f.unit(name="Werk Neu-Ulm", owner=self.u.other, team=self.u.team_b)
        return {
            "business_unit": unit.pk,
            "category": f.category("Verpackung").pk,
            "period_kind": "month",
            "period_start": "2026-11-01",
            "amount": "800.00",
            "currency": "EUR",
            "notes": "Neu",
        }

    def edit_data(self, obj):
        return {
            "business_unit": obj.business_unit_id,
            "category": obj.category_id,
            "period_kind": obj.period_kind,
            "period_start": obj.period_start.isoformat(),
            "amount": "13000.00",
            "currency": "EUR",
            "notes": "Erhöht",
        }


class BudgetApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Budget
    api_list_url = "/api/procurement/budgets/"
    api_query_budget = 5

    @classmethod
    def make_object(cls, *, owner, team):
        return make_budget(owner=owner, team=team)

    def api_data(self):
        unit = f.unit(name="Werk API", owner=self.u.other, team=self.u.team_b)
        return {
            "business_unit": unit.pk,
            "category": f.category("Energie").pk,
            "period_kind": "year",
            "period_start": "2027-01-01",
            "amount": "50000.00",
        }

    def api_update_data(self, obj):
        return {"amount": "14000.00", "notes": "Per API erhöht"}


class BudgetManagersChangeEveryTeams(TestCase):
    """Managers and admins change and delete another team's budget, by page and by API; a member
    of the other team cannot even find it."""

    @classmethod
    def setUpTestData(cls):
        cls.u = testing.make_users()

    def _page_edit(self, user, budget, amount):
        self.client.force_login(user)
        response = self.client.post(
            page("edit", budget),
            {
                "business_unit": budget.business_unit_id,
                "category": budget.category_id,
                "period_kind": budget.period_kind,
                "period_start": budget.period_start.isoformat(),
                "amount": amount,
                "currency": "EUR",
            },
        )
        self.assertEqual(response.status_code, 302, user.role)
        budget.refresh_from_db()
        self.assertEqual(budget.amount, Decimal(amount))

    def test_pages(self):
        for user in (self.u.manager, self.u.admin):
            budget = make_budget(owner=self.u.other, team=self.u.team_b)
            self._page_edit(user, budget, "999.00")
            self.assertEqual(self.client.post(page("delete", budget)).status_code, 302)
            self.assertFalse(Budget.objects.filter(pk=budget.pk).exists())

    def test_api(self):
        for user in (self.u.manager, self.u.admin):
            budget = make_budget(owner=self.u.other, team=self.u.team_b)
            client = api(user)
            url = f"/api/procurement/budgets/{budget.pk}/"
            ids = [row["id"] for row in client.get("/api/procurement/budgets/").json()["results"]]
            self.assertIn(budget.pk, ids)
            response = client.patch(url, {"amount": "77.00"}, format="json")
            self.assertEqual(response.status_code, 200, response.content)
            self.assertEqual(response.json()["amount"], "77.00")
            self.assertEqual(client.delete(url).status_code, 204)
            self.assertFalse(Budget.objects.filter(pk=budget.pk).exists())

    def test_hidden_budget_is_404_for_the_other_team_everywhere(self):
        budget = make_budget(owner=self.u.owner, team=self.u.team_a)
        self.client.force_login(self.u.other)
        for action in ("detail", "edit", "delete", "history"):
            self.assertEqual(self.client.get(page(action, budget)).status_code, 404, action)
        client = api(self.u.other)
        url = f"/api/procurement/budgets/{budget.pk}/"
        for response in (
            client.get(url),
            client.get(f"{url}actuals/"),
            client.get(f"{url}history/"),
            client.put(url, {"amount": "1.00"}, format="json"),
            client.delete(url),
        ):
            self.assertEqual(response.status_code, 404)
        self.assertTrue(Budget.objects.filter(pk=budget.pk, amount=Decimal("12500.00")).exists())
