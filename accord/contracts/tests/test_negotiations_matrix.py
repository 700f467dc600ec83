"""Permission matrix and query budgets for negotiations (pages and API)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accord.contracts.models import Commitment, Negotiation
from accord.core import testing
from accord.parties.models import Organization

from .factories_negotiations import make_negotiation, make_party, make_round


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Negotiation, Organization, Commitment)


def _negotiation(*, owner, team):
    n = make_negotiation(owner=owner, team=team)
    make_round(n)
    return n


class NegotiationPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Negotiation
    namespace = "contracts"
    list_query_budget = 8
    detail_query_budget = 16

    @classmethod
    def make_object(cls, *, owner, team):
        return _negotiation(owner=owner, team=team)

    def form_data(self):
        party = make_party(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {
            "title": "Wärmepumpen Neubau",
            "counterparty": party.pk,
            "kind": "sales",
            "started_on": "2026-01-01",
            "currency": "EUR",
            "status": "open",
        }

    def edit_data(self, obj):
        return {
            "title": "Rahmenvertrag Wartung (geändert)",
            "counterparty": obj.counterparty_id,
            "kind": "sales",
            "started_on": obj.started_on.isoformat(),
            "currency": "EUR",
            "status": "open",
        }


class NegotiationApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Negotiation
    api_list_url = "/api/contracts/negotiations/"
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return _negotiation(owner=owner, team=team)

    def api_data(self):
        party = make_party(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        return {"title": "Über die API", "counterparty": party.pk, "kind": "sales"}

    def api_update_data(self, obj):
        return {"goal": "Laufzeit 36 Monate"}
