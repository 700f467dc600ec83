"""Permission matrix and query budgets for market signals (pages and API)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accord.core import testing
from accord.parties.models import Organization
from accord.pipeline.models import MarketSignal

from .factories import make_organization
from .factories_signals import make_signal


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(MarketSignal, Organization)


def _signal(*, owner, team):
    org = make_organization(owner=owner, team=team, name="Kälte Nord GmbH")
    return make_signal(owner=owner, team=team, organizations=[org])


class MarketSignalPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = MarketSignal
    namespace = "pipeline"
    # list: the rows, their visible organizations (one query), the topic suggestions
    list_query_budget = 8
    detail_query_budget = 10

    @classmethod
    def make_object(cls, *, owner, team):
        return _signal(owner=owner, team=team)

    def form_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {
            "title": "Förderprogramm für Wärmepumpen verlängert",
            "topic": "Wärmepumpen-Förderung",
            "kind": "trend",
            "direction": "opportunity",
            "industry": "energy",
            "observed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "organizations": [org.pk],
        }

    def edit_data(self, obj):
        return {
            "title": "Kunde fragt nach Fernwartung (geändert)",
            "topic": "Fernwartung",
            "kind": "feedback",
            "direction": "request",
            "observed_on": obj.observed_on.isoformat(),
            "organizations": list(obj.organizations.values_list("pk", flat=True)),
        }


class MarketSignalApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = MarketSignal
    api_list_url = "/api/pipeline/signals/"
    # the rows and the visible ids of their organizations, people and interactions
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return _signal(owner=owner, team=team)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        return {
            "title": "Über die API",
            "topic": "Predictive Maintenance",
            "direction": "opportunity",
            "organizations": [org.pk],
        }

    def api_update_data(self, obj):
        return {"note": "Im Termin noch einmal bestätigt."}
