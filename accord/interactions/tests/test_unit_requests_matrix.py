"""Permission matrix and query budgets for requests between internal units (pages and API)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accord.core import testing
from accord.interactions.models import UnitRequest
from accord.parties.models import Organization

from .factories_unit_requests import make_unit, make_unit_request


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(UnitRequest, Organization)


class UnitRequestPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = UnitRequest
    namespace = "interactions"
    # the rows, and the internal units of the three unit filters
    list_query_budget = 10
    detail_query_budget = 10

    @classmethod
    def make_object(cls, *, owner, team):
        return make_unit_request(owner=owner, team=team)

    def _units(self):
        a = make_unit(owner=self.u.other, team=self.u.team_b, name="IT")
        b = make_unit(owner=self.u.other, team=self.u.team_b, name="Vertrieb")
        return a, b

    def form_data(self):
        a, b = self._units()
        return {
            "title": "Laptop für neue Kollegin",
            "requester": b.pk,
            "server": a.pk,
            "status": "open",
        }

    def edit_data(self, obj):
        return {
            "title": "Lieferant freigeben (geändert)",
            "requester": obj.requester_id,
            "server": obj.server_id,
            "status": "in_progress",
        }


class UnitRequestApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = UnitRequest
    api_list_url = "/api/interactions/unit-requests/"
    api_query_budget = 8

    @classmethod
    def make_object(cls, *, owner, team):
        return make_unit_request(owner=owner, team=team)

    def api_data(self):
        a = make_unit(owner=self.u.other, team=self.u.team_b, name="IT")
        b = make_unit(owner=self.u.other, team=self.u.team_b, name="Vertrieb")
        return {"title": "Über die API", "requester": b.pk, "server": a.pk}

    def api_update_data(self, obj):
        return {"status": "done"}
