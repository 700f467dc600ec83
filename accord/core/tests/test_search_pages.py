"""The search page (full and htmx partial) and `GET /api/search/`, as a user and an API client see them."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accord.core.testing.matrix import make_users
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.u = make_users()
        own = {"owner": cls.u.owner, "team": cls.u.team_a}
        cls.org = Organization.objects.create(name="Müller GmbH", city="Köln", **own)
        for i in range(11):
            Organization.objects.create(name=f"Müllhalde {i}", **own)
        cls.person = Person.objects.create(first_name="Jana", last_name="Müller", **own)
        cls.interaction = Interaction.objects.create(
            kind="meeting", subject="Müller kickoff", body="Agenda", **own
        )
        cls.secret = Organization.objects.create(
            name="Müller Geheim", owner=cls.u.other, team=cls.u.team_b
        )
        cls.url = reverse("search")

    def setUp(self) -> None:
        self.client.force_login(self.u.owner)

    def test_anonymous_is_sent_to_login(self):
        self.client.logout()
        response = self.client.get(self.url, {"q": "müller"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_results_are_grouped_with_counts_and_links(self):
        response = self.client.get(self.url, {"q": "mull"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<html", html=False)
        body = response.content.decode()
        self.assertLess(body.index("Organizations"), body.index("People"))
        self.assertLess(body.index("People"), body.index("Interactions"))
        self.assertContains(response, "10+")
        self.assertContains(response, f'href="{self.org.get_absolute_url()}"')
        self.assertContains(response, "Müller kickoff")
        self.assertContains(response, "Jana Müller")
        self.assertContains(response, "?q=mull&amp;kind=organization")
        self.assertNotContains(response, "Müller Geheim")

    def test_show_more_of_one_kind(self):
        response = self.client.get(self.url, {"q": "mull", "kind": "organization"})
        self.assertContains(response, "Müllhalde 10")
        self.assertNotContains(response, "Jana Müller")
        self.assertContains(response, "Search all kinds")
        self.assertNotContains(response, "10+")

    def test_htmx_gets_only_the_results(self):
        response = self.client.get(self.url, {"q": "jana"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Jana Müller")
        self.assertTemplateUsed(response, "core/partials/search_results.html")

    def test_empty_query_and_no_hits_say_so(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Type a name")
        response = self.client.get(self.url, {"q": "zzyzx"})
        self.assertContains(response, "Nothing found for")

    def test_query_is_shown_back_escaped(self):
        hostile = '<script>alert("x")</script> "müller'
        response = self.client.get(self.url, {"q": hostile, "kind": "nonsense"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")

    def test_hostile_record_text_is_shown_escaped(self):
        Organization.objects.create(name="<b>Fett</b> & Co", owner=self.u.owner)
        response = self.client.get(self.url, {"q": "fett"})
        self.assertContains(response, "&lt;b&gt;Fett&lt;/b&gt; &amp; Co")

    def test_page_in_german(self):
        response = self.client.get(self.url, {"q": "zzyzx"}, headers={"Accept-Language": "de"})
        self.assertEqual(response.status_code, 200)


class SearchApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.u = make_users()
        own = {"owner": cls.u.owner, "team": cls.u.team_a}
        cls.org = Organization.objects.create(name="Müller GmbH", city="Köln", **own)
        cls.secret = Organization.objects.create(
            name="Müller Geheim", owner=cls.u.other, team=cls.u.team_b
        )
        cls.url = reverse("api-search")

    def api(self, user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    def test_anonymous_is_refused(self):
        self.assertIn(self.api().get(self.url, {"q": "müller"}).status_code, (401, 403))

    def test_grouped_json_with_visibility(self):
        response = self.api(self.u.owner).get(self.url, {"q": "muller"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["query"], "muller")
        self.assertEqual(
            [g["kind"] for g in data["groups"]][:3], ["organization", "person", "interaction"]
        )
        orgs = data["groups"][0]
        self.assertEqual(orgs["label"], "Organizations")
        self.assertEqual(orgs["count"], 1)
        self.assertEqual(orgs["count_display"], "1")
        self.assertFalse(orgs["has_more"])
        self.assertEqual(
            orgs["results"],
            [
                {
                    "id": self.org.pk,
                    "title": "Müller GmbH",
                    "subtitle": "Köln",
                    "url": self.org.get_absolute_url(),
                }
            ],
        )
        manager = self.api(self.u.manager).get(self.url, {"q": "muller", "kind": "organization"})
        self.assertEqual([g["count"] for g in manager.json()["groups"]], [2])

    def test_bad_parameters_name_the_field(self):
        client = self.api(self.u.owner)
        response = client.get(self.url, {"q": "x", "kind": "nonsense"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("kind", response.json())
        response = client.get(self.url, {"q": "x", "limit": "0"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("limit", response.json())
        response = client.get(self.url, {"q": "x" * 500})
        self.assertEqual(response.status_code, 400)
        self.assertIn("q", response.json())

    def test_hostile_and_empty_queries(self):
        client = self.api(self.u.admin)
        for q in ("", '"', "') OR 1=1 --", "NEAR(", "\x00"):
            with self.subTest(q=q):
                response = client.get(self.url, {"q": q})
                self.assertIn(response.status_code, (200, 400))
        response = client.get(self.url, {"q": ""})
        self.assertTrue(all(g["count"] == 0 for g in response.json()["groups"]))

    def test_schema_documents_the_endpoint(self):
        response = self.api(self.u.admin).get(reverse("api-schema"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        path = response.json()["paths"]["/api/search/"]["get"]
        names = {p["name"] for p in path["parameters"]}
        self.assertTrue({"q", "kind", "limit"} <= names)
        kind = next(p for p in path["parameters"] if p["name"] == "kind")
        from accord.core.search import entries

        self.assertEqual(sorted(kind["schema"]["enum"]), sorted(e.kind for e in entries()))
        self.assertTrue({"interaction", "organization", "person"} <= set(kind["schema"]["enum"]))
