"""The permission matrix and query budgets for interaction and follow-up pages and API."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accord.core import testing
from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person

from .factories import FollowUpFactory, InteractionFactory, OrganizationFactory, PersonFactory


class WarmContentTypes:
    """Query budgets are about a running server, where Django's ContentType cache (which the
    visibility rule reads) is filled by the first request of the process; fill it here too, so a
    budget does not depend on which test happened to run first."""

    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Interaction, FollowUp, Organization, Person)


def _interaction(owner, team):
    org = OrganizationFactory(owner=owner, team=team)
    person = PersonFactory(organization=org)
    return InteractionFactory(owner=owner, team=team, organizations=[org], people=[person])


class InteractionPageMatrixTest(WarmContentTypes, testing.PageMatrixTestCase):
    model = Interaction
    namespace = "interactions"

    @classmethod
    def make_object(cls, *, owner, team):
        return _interaction(owner, team)

    def form_data(self):
        org = OrganizationFactory(owner=self.u.other, team=self.u.team_b)
        return {
            "kind": "call",
            "direction": "outbound",
            "occurred_at": "2024-05-02T09:30",
            "subject": "Rückruf wegen Rahmenvertrag",
            "body": "Preise für 2025 besprochen.",
            "organizations": [org.pk],
        }

    def edit_data(self, obj):
        data = self.form_data()
        data["organizations"] = list(obj.organizations.values_list("pk", flat=True))
        data["subject"] = "Rückruf (geändert)"
        return data


class InteractionApiMatrixTest(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Interaction
    api_list_url = "/api/interactions/interactions/"

    @classmethod
    def make_object(cls, *, owner, team):
        return _interaction(owner, team)

    def api_data(self):
        org = OrganizationFactory(owner=self.u.other, team=self.u.team_b)
        return {
            "kind": "meeting",
            "direction": "inbound",
            "occurred_at": "2024-05-02T09:30:00+02:00",
            "subject": "Jahresgespräch",
            "organizations": [org.pk],
        }

    def api_update_data(self, obj):
        return {"subject": "Jahresgespräch (verschoben)"}


class FollowUpPageMatrixTest(WarmContentTypes, testing.PageMatrixTestCase):
    model = FollowUp
    namespace = "interactions"

    @classmethod
    def make_object(cls, *, owner, team):
        org = OrganizationFactory(owner=owner, team=team)
        return FollowUpFactory(owner=owner, team=team, assignee=owner, organization=org)

    def url(self, action, obj=None):
        # The list opens on "my open follow-ups"; the matrix asks for everything visible.
        url = super().url(action, obj)
        return f"{url}?status=" if action == "list" else url

    def form_data(self):
        return {
            "title": "Angebot nachfassen",
            "notes": "",
            "due_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "status": "open",
        }


class FollowUpApiMatrixTest(WarmContentTypes, testing.ApiMatrixTestCase):
    model = FollowUp
    api_list_url = "/api/interactions/follow-ups/"

    @classmethod
    def make_object(cls, *, owner, team):
        org = OrganizationFactory(owner=owner, team=team)
        return FollowUpFactory(owner=owner, team=team, assignee=owner, organization=org)

    def api_data(self):
        return {"title": "Rückruf", "due_date": timezone.localdate().isoformat()}

    def api_update_data(self, obj):
        return {"title": "Rückruf (später)"}


class AssigneeInOtherTeamTest(TestCase):
    """A follow-up assigned to someone in another team is theirs to see and to complete."""

    def test_assignee_of_other_team_sees_and_completes(self):
        from accord.core.testing.matrix import make_users

        u = make_users()
        org = OrganizationFactory(owner=u.owner, team=u.team_a)
        followup = FollowUpFactory(
            owner=u.owner, team=u.team_a, assignee=u.other, organization=org, title="Für B"
        )
        hidden = FollowUpFactory(owner=u.owner, team=u.team_a, assignee=u.owner, title="Nur A")
        self.client.force_login(u.other)
        response = self.client.get(reverse("interactions:followup_list"))
        self.assertContains(response, followup.get_absolute_url())
        self.assertNotContains(response, hidden.get_absolute_url())
        self.assertEqual(self.client.get(followup.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        response = self.client.post(reverse("interactions:followup_complete", args=[followup.pk]))
        self.assertEqual(response.status_code, 302)
        followup.refresh_from_db()
        self.assertEqual(followup.status, "done")
        self.assertIsNotNone(followup.completed_at)

    def test_assignee_of_other_team_sees_it_in_the_api(self):
        from rest_framework.test import APIClient

        from accord.core.testing.matrix import make_users

        u = make_users()
        followup = FollowUpFactory(owner=u.owner, team=u.team_a, assignee=u.other)
        client = APIClient()
        client.force_authenticate(u.other)
        ids = [r["id"] for r in client.get("/api/interactions/follow-ups/").json()["results"]]
        self.assertIn(followup.pk, ids)
        response = client.post(f"/api/interactions/follow-ups/{followup.pk}/complete/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "done")
