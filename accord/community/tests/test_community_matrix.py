"""Permission matrix and query budgets of the community pages and API (every model)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accord.community.models import (
    Concern,
    Consultation,
    EngagementPlan,
    StakeholderAssessment,
    StakeholderProject,
)
from accord.core import testing
from accord.parties.models import Organization, Person

from .factories_community import (
    make_assessment,
    make_concern,
    make_consultation,
    make_org,
    make_plan,
    make_project,
)

YESTERDAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()


class Warm:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(
            StakeholderProject,
            StakeholderAssessment,
            EngagementPlan,
            Concern,
            Consultation,
            Organization,
            Person,
        )


def _new_org(case) -> Organization:
    return make_org(owner=case.u.other, team=case.u.team_b, name="Naturschutzverein Nord e. V.")


# --- projects --------------------------------------------------------------------------------------
class ProjectPages(Warm, testing.PageMatrixTestCase):
    model = StakeholderProject
    namespace = "community"
    detail_query_budget = 14

    @classmethod
    def make_object(cls, *, owner, team):
        return make_project(owner=owner, team=team)

    def form_data(self):
        return {"name": "Lärmschutz Logistikzentrum", "location": "Hafenstraße", "is_active": "on"}


class ProjectApi(Warm, testing.ApiMatrixTestCase):
    model = StakeholderProject
    api_list_url = "/api/community/projects/"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_project(owner=owner, team=team)

    def api_data(self):
        return {"name": "Abwärmenutzung Quartier Süd"}


# --- assessments -----------------------------------------------------------------------------------
class AssessmentPages(Warm, testing.PageMatrixTestCase):
    # the rows, plus one query for the project choices of the filter
    list_query_budget = 7
    model = StakeholderAssessment
    namespace = "community"
    detail_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_assessment(owner=owner, team=team)

    def form_data(self):
        return {
            "organization": _new_org(self).pk,
            "category": "association",
            "power": "2",
            "interest": "4",
            "legitimacy": "on",
            "attitude": "sceptical",
            "assessed_on": YESTERDAY,
        }

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "category": "municipality",
            "power": "5",
            "interest": "5",
            "attitude": "supportive",
            "assessed_on": obj.assessed_on.isoformat(),
        }


class AssessmentApi(Warm, testing.ApiMatrixTestCase):
    model = StakeholderAssessment
    api_list_url = "/api/community/assessments/"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_assessment(owner=owner, team=team)

    def api_data(self):
        return {"organization": _new_org(self).pk, "power": 3, "interest": 4, "urgency": True}

    def api_update_data(self, obj):
        return {"attitude": "opposed"}


# --- engagement plans ------------------------------------------------------------------------------
class PlanPages(Warm, testing.PageMatrixTestCase):
    # the rows, plus one query for the project choices of the filter
    list_query_budget = 7
    model = EngagementPlan
    namespace = "community"
    detail_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_plan(owner=owner, team=team)

    def form_data(self):
        return {
            "organization": _new_org(self).pk,
            "current_level": "resistant",
            "target_level": "supportive",
            "next_review_on": YESTERDAY,
        }

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "current_level": "neutral",
            "target_level": "leading",
        }


class PlanApi(Warm, testing.ApiMatrixTestCase):
    model = EngagementPlan
    api_list_url = "/api/community/engagement-plans/"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_plan(owner=owner, team=team)

    def api_data(self):
        return {"organization": _new_org(self).pk, "target_level": "leading"}

    def api_update_data(self, obj):
        return {"current_level": "supportive"}


# --- concerns --------------------------------------------------------------------------------------
class ConcernPages(Warm, testing.PageMatrixTestCase):
    model = Concern
    namespace = "community"
    list_query_budget = 8  # the project and consultation choices of the filter
    detail_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_concern(owner=owner, team=team)

    def form_data(self):
        return {
            "title": "Baumfällungen am Grünzug",
            "organization": _new_org(self).pk,
            "received_on": YESTERDAY,
        }

    def edit_data(self, obj):
        return {
            "title": "Lkw-Verkehr nachts (geändert)",
            "organization": obj.organization_id,
            "received_on": obj.received_on.isoformat(),
            "response_due_on": obj.response_due_on.isoformat(),
        }


class ConcernApi(Warm, testing.ApiMatrixTestCase):
    model = Concern
    api_list_url = "/api/community/concerns/"
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return make_concern(owner=owner, team=team)

    def api_data(self):
        return {"title": "Staub", "organization": _new_org(self).pk}

    def api_update_data(self, obj):
        return {"description": "Bei Trockenheit zieht Staub in die Siedlung."}


# --- consultations ---------------------------------------------------------------------------------
class ConsultationPages(Warm, testing.PageMatrixTestCase):
    # the rows, plus one query for the project choices of the filter
    list_query_budget = 7
    model = Consultation
    namespace = "community"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_consultation(owner=owner, team=team)

    def form_data(self):
        return {"title": "Anhörung im Bauausschuss", "kind": "hearing", "starts_on": YESTERDAY}


class ConsultationApi(Warm, testing.ApiMatrixTestCase):
    model = Consultation
    api_list_url = "/api/community/consultations/"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_consultation(owner=owner, team=team)

    def api_data(self):
        return {"title": "Online-Beteiligung", "kind": "round", "starts_on": YESTERDAY}

    def api_update_data(self, obj):
        return {"place": "Rathaus"}
