"""Case pages and API: the permission matrix, the case page (clock, status buttons,
conversation, notes), list filters, the organization fragment, configuration pages, and the
service-standards figures (exact, on a constructed set) on the page and in the API."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core import testing
from accord.core.testing import make_users
from accord.parties.models import Organization
from accord.servicedesk.models import (
    Case,
    CaseBreach,
    CaseNote,
    CaseStatus,
    ServiceLevelPolicy,
)
from accord.servicedesk.selectors.servicelevels import service_standards
from accord.servicedesk.services.servicelevels import restore_servicedesk_defaults

from .factories_cases import berlin, make_case, make_organization


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Case, Organization)


def _case(*, owner, team):
    org = make_organization(owner=owner, team=team)
    return make_case(owner=owner, team=team, organization=org)


class CasePages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Case
    namespace = "servicedesk"
    list_query_budget = 10
    detail_query_budget = 18

    @classmethod
    def make_object(cls, *, owner, team):
        return _case(owner=owner, team=team)

    def form_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {"organization": org.pk, "subject": "Anlage meldet Störung", "priority": "high"}

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "subject": "Kühlzelle: Solltemperatur (geändert)",
            "priority": "urgent",
        }


class CaseApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Case
    api_list_url = "/api/servicedesk/cases/"
    api_query_budget = 8

    @classmethod
    def make_object(cls, *, owner, team):
        return _case(owner=owner, team=team)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        return {"organization": org.pk, "subject": "Über die API", "priority": "high"}

    def api_update_data(self, obj):
        return {"description": "Techniker informiert."}


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


class CasePageBehaviour(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.u = make_users()
        restore_servicedesk_defaults()
        cls.org = make_organization(owner=cls.u.owner, team=cls.u.team_a)
        cls.case = make_case(owner=cls.u.owner, team=cls.u.team_a, organization=cls.org)

    def test_hidden_organization_is_refused_on_the_page_and_in_the_api(self):
        hidden = make_organization(owner=self.u.other, team=self.u.team_b, name="Fremd AG")
        self.client.force_login(self.u.owner)
        response = self.client.post(
            reverse("servicedesk:case_add"),
            {"organization": hidden.pk, "subject": "x", "priority": "normal"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("organization", response.context["form"].errors)
        response = api(self.u.owner).post(
            "/api/servicedesk/cases/",
            {"organization": hidden.pk, "subject": "x"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.json())
        self.assertEqual(Case.objects.count(), 1)

    def test_detail_shows_clock_and_status_buttons_work(self):
        self.client.force_login(self.u.owner)
        page = self.client.get(self.case.get_absolute_url())
        self.assertContains(page, 'data-clock="first_response"')
        self.assertContains(page, self.case.number)
        response = self.client.post(
            reverse("servicedesk:case_status", args=[self.case.pk]), {"status": "waiting"}
        )
        self.assertEqual(response.status_code, 302)
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, CaseStatus.WAITING)
        self.assertIsNotNone(self.case.first_responded_at)
        page = self.client.get(self.case.get_absolute_url())
        self.assertContains(page, 'data-state="paused"')
        # a viewer of the team sees no buttons and may not post
        self.client.force_login(self.u.viewer)
        page = self.client.get(self.case.get_absolute_url())
        self.assertNotContains(page, reverse("servicedesk:case_status", args=[self.case.pk]))
        response = self.client.post(
            reverse("servicedesk:case_status", args=[self.case.pk]), {"status": "open"}
        )
        self.assertEqual(response.status_code, 403)

    def test_conversation_and_notes(self):
        self.client.force_login(self.u.owner)
        self.client.post(
            reverse("servicedesk:case_interaction_add", args=[self.case.pk]),
            {
                "kind": "email",
                "direction": "outbound",
                "subject": "Re: Kühlzelle",
                "body": "Wir kommen.",
            },
        )
        self.client.post(
            reverse("servicedesk:case_note_add", args=[self.case.pk]), {"text": "Teil bestellt"}
        )
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, CaseStatus.OPEN)
        self.assertEqual(self.case.interactions.count(), 1)
        page = self.client.get(self.case.get_absolute_url())
        self.assertContains(page, "Re: Kühlzelle")
        self.assertContains(page, "Teil bestellt")
        note = CaseNote.objects.get()
        self.client.force_login(self.u.other)
        response = self.client.post(reverse("servicedesk:case_note_delete", args=[note.pk]))
        self.assertEqual(response.status_code, 404)
        data = api(self.u.owner).get(f"/api/servicedesk/cases/{self.case.pk}/conversation/").json()
        self.assertEqual([row["subject"] for row in data], ["Re: Kühlzelle"])
        clock = api(self.u.owner).get(f"/api/servicedesk/cases/{self.case.pk}/clock/").json()
        self.assertEqual([c["kind"] for c in clock], ["first_response", "resolution"])

    def test_list_filters_breached_and_organization_fragment(self):
        late = make_case(
            owner=self.u.owner,
            team=self.u.team_a,
            organization=self.org,
            subject="Alter Fall",
            opened_at=berlin(2026, 1, 5, 9),
        )
        self.assertTrue(CaseBreach.objects.filter(case=late).exists())
        self.client.force_login(self.u.owner)
        page = self.client.get(reverse("servicedesk:case_list"), {"sla": "breached"})
        self.assertContains(page, late.number)
        self.assertNotContains(page, self.case.number)
        page = self.client.get(reverse("servicedesk:case_list"), {"q": self.case.number})
        self.assertContains(page, self.case.get_absolute_url())
        fragment = self.client.get(reverse("servicedesk:organization_cases", args=[self.org.pk]))
        self.assertContains(fragment, late.number)
        self.client.force_login(self.u.other)
        fragment = self.client.get(reverse("servicedesk:organization_cases", args=[self.org.pk]))
        self.assertNotContains(fragment, late.number)

    def test_configuration_pages_for_admins_and_managers_only(self):
        policy = ServiceLevelPolicy.objects.get(priority="urgent", tier="standard")
        self.client.force_login(self.u.owner)
        self.assertEqual(
            self.client.get(reverse("servicedesk:servicelevelpolicy_list")).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("servicedesk:servicelevelpolicy_add")).status_code, 403
        )
        self.client.force_login(self.u.manager)
        response = self.client.post(
            reverse("servicedesk:servicelevelpolicy_edit", args=[policy.pk]),
            {
                "name": policy.name,
                "priority": "urgent",
                "tier": "standard",
                "first_response_hours": "1.5",
                "resolution_hours": "8",
                "warning_percent": "75",
                "active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        policy.refresh_from_db()
        self.assertEqual(str(policy.first_response_hours), "1.50")
        for name in ("servicehours", "organizationservicetier", "casecategory"):
            self.assertEqual(self.client.get(reverse(f"servicedesk:{name}_list")).status_code, 200)
            self.assertEqual(self.client.get(reverse(f"servicedesk:{name}_add")).status_code, 200)
        response = api(self.u.owner).post(
            "/api/servicedesk/case-categories/", {"name": "Neu"}, format="json"
        )
        self.assertEqual(response.status_code, 403)


class ServiceStandardsFigures(TestCase):
    """Six cases, two teams, two clients, January and February 2026 (Berlin days)."""

    @classmethod
    def setUpTestData(cls):
        cls.u = make_users()
        a = make_organization(owner=cls.u.owner, team=cls.u.team_a, name="Alpha GmbH")
        b = make_organization(owner=cls.u.other, team=cls.u.team_b, name="Beta AG")
        h = 3600

        def case(n, org, team, owner, opened, resolved, first, resolution, breach=None):
            c = Case.objects.create(
                number=f"C-2026-{n:05d}",
                organization=org,
                subject=f"Fall {n}",
                owner=owner,
                team=team,
                opened_at=opened,
                resolved_at=resolved,
                status=CaseStatus.RESOLVED if resolved else CaseStatus.OPEN,
                first_response_seconds=first,
                resolution_seconds=resolution,
            )
            if breach:
                CaseBreach.objects.create(case=c, kind=breach, breached_at=opened)
            return c

        ta, tb, o, x = cls.u.team_a, cls.u.team_b, cls.u.owner, cls.u.other
        case(1, a, ta, o, berlin(2026, 1, 5, 9), berlin(2026, 1, 7, 9), 1 * h, 10 * h)
        case(
            2, a, ta, o, berlin(2026, 1, 20, 9), berlin(2026, 2, 3, 9), 3 * h, 30 * h, "resolution"
        )
        case(3, b, tb, x, berlin(2026, 1, 31, 23, 30), None, 2 * h, None)  # 31 Jan in Berlin
        case(4, b, tb, x, berlin(2026, 2, 10, 9), berlin(2026, 2, 11, 9), h // 2, 4 * h)
        case(
            5,
            a,
            ta,
            o,
            berlin(2025, 12, 30, 9),
            berlin(2026, 1, 2, 9),
            6 * h,
            20 * h,
            "first_response",
        )
        case(6, a, ta, o, berlin(2026, 3, 2, 9), None, None, None)  # outside the window

    def test_figures_per_month_team_and_client(self):
        data = service_standards(self.u.admin, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
        self.assertEqual(data.labels, ["2026-01", "2026-02"])
        jan, feb = data.monthly
        self.assertEqual((jan.opened, jan.resolved, jan.breached), (3, 2, 1))
        self.assertEqual((jan.first_response_median, jan.first_response_mean), (2, 2))
        self.assertEqual((jan.resolution_median, jan.resolution_mean), (15, 15))
        self.assertEqual(jan.breach_rate, 33.3)
        self.assertEqual((feb.opened, feb.resolved, feb.breach_rate), (1, 2, 0))
        self.assertEqual(feb.resolution_median, 17)
        self.assertEqual((data.total.opened, data.total.resolved), (4, 4))
        self.assertEqual(data.total.breach_rate, 25)
        teams = {row.label: row.figures for row in data.teams}
        self.assertEqual((teams["Team A"].opened, teams["Team A"].resolved), (2, 3))
        self.assertEqual(teams["Team A"].breach_rate, 50)
        self.assertEqual((teams["Team B"].opened, teams["Team B"].resolved), (2, 1))
        clients = [(row.label, row.figures.opened) for row in data.clients]
        self.assertEqual(sorted(clients), [("Alpha GmbH", 2), ("Beta AG", 2)])

    def test_visibility_and_filters(self):
        mine = service_standards(self.u.owner, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
        self.assertEqual((mine.total.opened, mine.total.resolved), (2, 3))
        team_b = service_standards(
            self.u.admin, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28), team=self.u.team_b.pk
        )
        self.assertEqual(team_b.total.opened, 2)

    def test_page_and_api_show_the_same_numbers(self):
        self.client.force_login(self.u.admin)
        page = self.client.get(
            reverse("servicedesk:case_standards"), {"start": "2026-01-01", "end": "2026-02-28"}
        )
        self.assertContains(page, 'data-figure="opened">4<')
        self.assertContains(page, 'data-figure="breach-rate">25.0 %<')
        self.assertContains(page, "<svg")
        data = (
            api(self.u.admin)
            .get("/api/servicedesk/cases/standards/", {"start": "2026-01-01", "end": "2026-02-28"})
            .json()
        )
        self.assertEqual(data["total"]["opened"], 4)
        self.assertEqual(data["months"][0]["breach_rate"], 33.3)
        self.assertEqual(data["months"][1]["resolution_median"], 17)
