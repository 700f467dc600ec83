from django.test import TestCase
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accord.core.testing import make_users


class ProfileAndTokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.u = make_users()

    def test_profile_saves_name_and_time_zone(self):
        self.client.force_login(self.u.owner)
        response = self.client.post(
            reverse("users:profile"),
            {"first_name": "Jürgen", "last_name": "Groß", "time_zone": "America/New_York"},
        )
        self.assertEqual(response.status_code, 302)
        self.u.owner.refresh_from_db()
        self.assertEqual(
            (self.u.owner.last_name, self.u.owner.time_zone), ("Groß", "America/New_York")
        )

    def test_unknown_time_zone_is_refused_with_field_error(self):
        self.client.force_login(self.u.owner)
        response = self.client.post(reverse("users:profile"), {"time_zone": "Mars/Olympus"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("time_zone", response.context["form"].errors)

    def test_token_regenerate_replaces_old_token(self):
        self.client.force_login(self.u.owner)
        old = Token.objects.create(user=self.u.owner)
        response = self.client.post(reverse("users:token_regenerate"))
        self.assertEqual(response.status_code, 200)
        new = Token.objects.get(user=self.u.owner)
        self.assertNotEqual(old.key, new.key)
        self.assertContains(response, new.key)
        self.client.post(reverse("users:token_revoke"))
        self.assertFalse(Token.objects.filter(user=self.u.owner).exists())

    def test_token_pages_need_login(self):
        response = self.client.post(reverse("users:token_regenerate"))
        self.assertEqual(response.status_code, 302)


class AccessAdministrationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.u = make_users()

    def test_only_admins_change_roles(self):
        url = reverse("users:user_access", args=[self.u.other.pk])
        for user in (self.u.manager, self.u.owner, self.u.viewer):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.u.admin)
        response = self.client.post(
            url, {"role": "viewer", "teams": [self.u.team_a.pk], "is_active": "on"}
        )
        self.assertEqual(response.status_code, 302)
        self.u.other.refresh_from_db()
        self.assertEqual(self.u.other.role, "viewer")
        self.assertEqual(list(self.u.other.teams.all()), [self.u.team_a])

    def test_admin_cannot_lock_themselves_out(self):
        self.client.force_login(self.u.admin)
        url = reverse("users:user_access", args=[self.u.admin.pk])
        response = self.client.post(url, {"role": "member", "is_active": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("role", response.context["form"].errors)
        self.u.admin.refresh_from_db()
        self.assertEqual(self.u.admin.role, "admin")

    def test_user_list_shows_colleagues_and_teams(self):
        self.client.force_login(self.u.viewer)
        response = self.client.get(reverse("users:user_list"), {"q": "owner"})
        self.assertContains(response, "owner@example.test")
        self.assertNotContains(response, "other@example.test")
        self.assertContains(response, "Team A")

    def test_team_creation_is_admin_only_and_names_are_unique(self):
        self.client.force_login(self.u.manager)
        self.assertEqual(
            self.client.post(reverse("users:team_add"), {"name": "X"}).status_code, 403
        )
        self.client.force_login(self.u.admin)
        self.assertEqual(
            self.client.post(reverse("users:team_add"), {"name": "Vertrieb Süd"}).status_code, 302
        )
        response = self.client.post(reverse("users:team_add"), {"name": "Vertrieb Süd"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("name", response.context["form"].errors)
