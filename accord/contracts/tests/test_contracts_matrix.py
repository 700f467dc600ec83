"""Permission matrix and query budgets for contracts (pages and API)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accord.contracts.models import Contract
from accord.core import testing
from accord.parties.models import Organization

from .factories_contracts import make_contract, make_org


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Contract, Organization)


class ContractPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Contract
    namespace = "contracts"
    list_query_budget = 8
    detail_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_contract(owner=owner, team=team, notice_period=3)

    def form_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="Schrauben Müller KG")
        return {
            "title": "Rahmenvertrag Schrauben 2025",
            "side": "buy",
            "contract_type": "framework",
            "counterparty": org.pk,
            "value": "48000.00",
            "currency": "EUR",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "notice_period": "3",
            "notice_unit": "months",
            "status": "active",
        }

    def edit_data(self, obj):
        return {
            "title": "Wartungsvertrag Kältetechnik (verlängert)",
            "side": obj.side,
            "contract_type": obj.contract_type,
            "counterparty": obj.counterparty_id,
            "value": "26000.00",
            "currency": "EUR",
            "start_date": "2025-01-01",
            "end_date": "2026-12-31",
            "notice_period": "3",
            "notice_unit": "months",
            "status": "active",
        }


class ContractApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Contract
    api_list_url = "/api/contracts/contracts/"
    api_query_budget = 8

    @classmethod
    def make_object(cls, *, owner, team):
        return make_contract(owner=owner, team=team, notice_period=3)

    def api_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="API Lieferant GmbH")
        return {
            "title": "NDA Projekt Orion",
            "contract_type": "nda",
            "side": "other",
            "counterparty": org.pk,
            "start_date": "2025-02-01",
            "end_date": "2027-01-31",
        }

    def api_update_data(self, obj):
        return {"notes": "Verlängerung besprochen."}
