"""Permission matrix and query budgets for commitments (pages and API)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accord.contracts.models import Commitment, Contract
from accord.core import testing
from accord.parties.models import Organization

from .factories_contracts import make_commitment, make_org


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Commitment, Contract, Organization)


class CommitmentPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Commitment
    namespace = "contracts"
    list_query_budget = 8
    detail_query_budget = 10

    @classmethod
    def make_object(cls, *, owner, team):
        return make_commitment(owner=owner, team=team)

    def form_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="Gemeinde Talheim")
        return {
            "title": "Verkehrskonzept vorstellen",
            "side": "ours",
            "kind": "report",
            "status": "open",
            "due_date": "2026-03-12",
            "organization": org.pk,
            "source": "Bürgerversammlung 12.3.",
        }

    def edit_data(self, obj):
        return {
            "title": "Lärmschutzwand bis Herbst errichten",
            "side": "ours",
            "kind": "deliverable",
            "status": "in_progress",
            "organization": obj.organization_id,
        }


class CommitmentApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Commitment
    api_list_url = "/api/contracts/commitments/"
    api_query_budget = 8

    @classmethod
    def make_object(cls, *, owner, team):
        return make_commitment(owner=owner, team=team)

    def api_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="Stadt Talheim")
        return {"title": "Quartalsbericht Emissionen", "kind": "report", "organization": org.pk}

    def api_update_data(self, obj):
        return {"status": "in_progress"}
