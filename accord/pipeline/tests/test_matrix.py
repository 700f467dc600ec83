"""Permission matrix and query budgets for opportunities (pages and API)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accord.core import testing
from accord.parties.models import Organization
from accord.pipeline.models import Opportunity

from .factories import make_opportunity, make_organization, stage


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Opportunity, Organization)


class OpportunityPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Opportunity
    namespace = "pipeline"
    # the pipeline and stage filters list their choices: one query each
    list_query_budget = 8
    detail_query_budget = 14

    @classmethod
    def make_object(cls, *, owner, team):
        return make_opportunity(owner=owner, team=team)

    def form_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {
            "organization": org.pk,
            "title": "Erstauftrag",
            "stage": stage("Qualification").pk,
            "amount": "5000",
            "currency": "EUR",
        }

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "title": "Rahmenvertrag Wartung (geändert)",
            "stage": stage("Proposal").pk,
            "amount": "15000",
            "currency": "EUR",
        }


class OpportunityApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Opportunity
    api_list_url = "/api/pipeline/opportunities/"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_opportunity(owner=owner, team=team)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        return {"organization": org.pk, "title": "Über die API", "amount": "100.00"}

    def api_update_data(self, obj):
        return {"next_step": "Angebot schicken"}
