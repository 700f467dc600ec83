"""The permission matrix for pages and API, and query-count budgets.

Roles × actions: anonymous, viewer (same team as the record), member of another team, owner, manager,
admin × list / detail / create / edit / delete. An app's test supplies the model, URL names and data;
the behaviour a user would notice is asserted here once for every model.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def make_users() -> SimpleNamespace:
    """Two teams and one user per role; `owner` and `viewer` are in team A, `other` in team B."""
    team_model = apps.get_model("users", "Team")
    user_model = get_user_model()
    team_a = team_model.objects.create(name="Team A")
    team_b = team_model.objects.create(name="Team B")

    def user(email: str, role: str, team=None):
        u = user_model.objects.create_user(
            email=email, password="pw-Accord-1", role=role, first_name=role.title()
        )
        if team is not None:
            u.teams.add(team)
        return u

    return SimpleNamespace(
        team_a=team_a,
        team_b=team_b,
        admin=user("admin@example.test", "admin"),
        manager=user("manager@example.test", "manager"),
        owner=user("owner@example.test", "member", team_a),
        viewer=user("viewer@example.test", "viewer", team_a),
        other=user("other@example.test", "member", team_b),
    )


class _MatrixBase(TestCase):
    """Subclasses set `model` and implement `make_object(owner, team)`."""

    model: ClassVar[Any] = None
    list_query_budget: ClassVar[int] = 6
    detail_query_budget: ClassVar[int] = 10
    rows_for_budget: ClassVar[int] = 5

    @classmethod
    def setUpTestData(cls) -> None:
        if cls.model is None:
            return
        cls.u = make_users()
        cls.obj = cls.make_object(owner=cls.u.owner, team=cls.u.team_a)

    @classmethod
    def make_object(cls, *, owner, team):  # pragma: no cover - abstract
        raise NotImplementedError

    def setUp(self) -> None:
        if self.model is None:
            self.skipTest("abstract matrix")

    def count_queries(self, fn) -> tuple[Any, int]:
        # A running process has the content-type cache warm after its first request; do the same.
        ContentType.objects.get_for_models(*apps.get_models())
        with CaptureQueriesContext(connection) as ctx:
            result = fn()
        return result, len(ctx.captured_queries)


class PageMatrixTestCase(_MatrixBase):
    """Pages: `namespace` (URL namespace) and `form_data()` for create/edit."""

    namespace: ClassVar[str] = ""
    has_create: ClassVar[bool] = True
    has_edit: ClassVar[bool] = True
    has_delete: ClassVar[bool] = True

    def form_data(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def edit_data(self, obj) -> dict[str, Any]:
        return self.form_data()

    def url(self, action: str, obj=None) -> str:
        name = f"{self.namespace}:{self.model._meta.model_name}_{action}"
        return reverse(name, args=[obj.pk] if obj is not None else [])

    def login(self, user) -> None:
        self.client.force_login(user)

    # anonymous -------------------------------------------------------------
    def test_anonymous_is_sent_to_login(self):
        urls = [self.url("list"), self.url("detail", self.obj)]
        if self.has_create:
            urls.append(self.url("add"))
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("account_login"), response["Location"])

    # viewer ----------------------------------------------------------------
    def test_viewer_reads_team_records_and_writes_nothing(self):
        self.login(self.u.viewer)
        self.assertEqual(self.client.get(self.url("list")).status_code, 200)
        self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 200)
        if self.has_create:
            self.assertEqual(self.client.get(self.url("add")).status_code, 403)
            self.assertEqual(self.client.post(self.url("add"), self.form_data()).status_code, 403)
        if self.has_edit:
            self.assertEqual(
                self.client.post(self.url("edit", self.obj), self.edit_data(self.obj)).status_code,
                403,
            )
        if self.has_delete:
            self.assertEqual(self.client.post(self.url("delete", self.obj)).status_code, 403)
            self.assertTrue(self.model.objects.filter(pk=self.obj.pk).exists())

    # member of another team -------------------------------------------------
    def test_member_of_other_team_gets_404(self):
        self.login(self.u.other)
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.obj.get_absolute_url(), response.content.decode())
        self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 404)
        if self.has_edit:
            self.assertEqual(self.client.get(self.url("edit", self.obj)).status_code, 404)
            self.assertEqual(
                self.client.post(self.url("edit", self.obj), self.edit_data(self.obj)).status_code,
                404,
            )
        if self.has_delete:
            self.assertEqual(self.client.post(self.url("delete", self.obj)).status_code, 404)
            self.assertTrue(self.model.objects.filter(pk=self.obj.pk).exists())

    # owner ------------------------------------------------------------------
    def test_owner_sees_edits_and_deletes(self):
        self.login(self.u.owner)
        response = self.client.get(self.url("list"))
        self.assertContains(response, self.obj.get_absolute_url())
        self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 200)
        if self.has_edit:
            response = self.client.post(self.url("edit", self.obj), self.edit_data(self.obj))
            self.assertEqual(
                response.status_code,
                302,
                getattr(response, "context", None)
                and response.context.get("form")
                and response.context["form"].errors,
            )
            history = self.client.get(self.url("history", self.obj))
            self.assertContains(history, str(self.u.owner))
        if self.has_delete:
            self.assertEqual(self.client.get(self.url("delete", self.obj)).status_code, 200)
            self.assertEqual(self.client.post(self.url("delete", self.obj)).status_code, 302)
            self.assertFalse(self.model.objects.filter(pk=self.obj.pk).exists())

    def test_member_creates_and_owns(self):
        if not self.has_create:
            return
        self.login(self.u.other)
        before = set(self.model.objects.values_list("pk", flat=True))
        response = self.client.post(self.url("add"), self.form_data())
        self.assertEqual(
            response.status_code,
            302,
            response.context and response.context.get("form") and response.context["form"].errors,
        )
        created = self.model.objects.exclude(pk__in=before).get()
        if hasattr(created, "owner_id"):
            self.assertEqual(created.owner_id, self.u.other.pk)
        self.assertEqual(self.client.get(created.get_absolute_url()).status_code, 200)

    # manager and admin ------------------------------------------------------
    def test_manager_and_admin_see_and_change_everything(self):
        for user in (self.u.manager, self.u.admin):
            self.login(user)
            self.assertContains(self.client.get(self.url("list")), self.obj.get_absolute_url())
            self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 200)
            if self.has_edit:
                self.assertEqual(self.client.get(self.url("edit", self.obj)).status_code, 200)

    # query budgets ---------------------------------------------------------
    def test_list_and_detail_stay_within_query_budget(self):
        for _ in range(self.rows_for_budget):
            self.make_object(owner=self.u.owner, team=self.u.team_a)
        for user in (self.u.owner, self.u.admin):
            self.login(user)
            response, n = self.count_queries(lambda: self.client.get(self.url("list")))
            self.assertEqual(response.status_code, 200)
            self.assertLessEqual(n, self.list_query_budget, f"list as {user.role}: {n} queries")
            response, n = self.count_queries(lambda: self.client.get(self.url("detail", self.obj)))
            self.assertEqual(response.status_code, 200)
            self.assertLessEqual(n, self.detail_query_budget, f"detail as {user.role}: {n} queries")


class ApiMatrixTestCase(_MatrixBase):
    """API: `api_list_url` (path of the collection) and `api_data()` for create/update."""

    api_list_url: ClassVar[str] = ""
    api_query_budget: ClassVar[int] = 8

    def api_data(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def api_update_data(self, obj) -> dict[str, Any]:
        return self.api_data()

    def detail_url(self, obj) -> str:
        return f"{self.api_list_url}{obj.pk}/"

    def api(self, user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    def test_api_anonymous_is_refused(self):
        client = self.api()
        self.assertIn(client.get(self.api_list_url).status_code, (401, 403))
        self.assertIn(
            client.post(self.api_list_url, self.api_data(), format="json").status_code, (401, 403)
        )

    def test_api_viewer_reads_only(self):
        client = self.api(self.u.viewer)
        self.assertEqual(client.get(self.api_list_url).status_code, 200)
        self.assertEqual(client.get(self.detail_url(self.obj)).status_code, 200)
        self.assertEqual(
            client.post(self.api_list_url, self.api_data(), format="json").status_code, 403
        )
        self.assertEqual(
            client.patch(
                self.detail_url(self.obj), self.api_update_data(self.obj), format="json"
            ).status_code,
            403,
        )
        self.assertEqual(client.delete(self.detail_url(self.obj)).status_code, 403)

    def test_api_member_of_other_team_gets_404(self):
        client = self.api(self.u.other)
        ids = [row["id"] for row in client.get(self.api_list_url).json()["results"]]
        self.assertNotIn(self.obj.pk, ids)
        self.assertEqual(client.get(self.detail_url(self.obj)).status_code, 404)
        self.assertEqual(
            client.patch(
                self.detail_url(self.obj), self.api_update_data(self.obj), format="json"
            ).status_code,
            404,
        )
        self.assertEqual(client.delete(self.detail_url(self.obj)).status_code, 404)

    def test_api_owner_updates_and_deletes(self):
        client = self.api(self.u.owner)
        response = client.patch(
            self.detail_url(self.obj), self.api_update_data(self.obj), format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        history = client.get(f"{self.detail_url(self.obj)}history/")
        self.assertEqual(history.status_code, 200)
        self.assertTrue(history.json())
        self.assertEqual(client.delete(self.detail_url(self.obj)).status_code, 204)
        self.assertFalse(self.model.objects.filter(pk=self.obj.pk).exists())

    def test_api_member_creates(self):
        client = self.api(self.u.other)
        response = client.post(self.api_list_url, self.api_data(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            client.get(self.detail_url(SimpleNamespace(pk=response.json()["id"]))).status_code, 200
        )

    def test_api_manager_and_admin_see_everything(self):
        for user in (self.u.manager, self.u.admin):
            client = self.api(user)
            self.assertEqual(client.get(self.detail_url(self.obj)).status_code, 200)

    def test_api_list_within_query_budget(self):
        for _ in range(self.rows_for_budget):
            self.make_object(owner=self.u.owner, team=self.u.team_a)
        for user in (self.u.owner, self.u.admin):
            client = self.api(user)
            response, n = self.count_queries(lambda c=client: c.get(self.api_list_url))
            self.assertEqual(response.status_code, 200)
            self.assertLessEqual(n, self.api_query_budget, f"API list as {user.role}: {n} queries")
