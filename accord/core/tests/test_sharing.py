"""Sharing widens what a member sees, read-only; only someone who may change a record shares it."""

import pytest
from django.urls import reverse

from accord.core import visibility
from accord.core.testing import make_users
from accord.parties.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def u():
    return make_users()


@pytest.fixture
def org(u):
    return Organization.objects.create(name="Geteilt GmbH", owner=u.owner, team=u.team_a)


def share_url(org):
    return reverse("share", args=[org._meta.label_lower, org.pk])


def test_sharing_with_a_user_lets_them_read_but_not_change(client, u, org):
    assert not visibility.can_view(u.other, org)
    client.force_login(u.owner)
    response = client.post(share_url(org), {"user": u.other.pk})
    assert response.status_code == 302
    assert visibility.can_view(u.other, org)
    assert not visibility.can_change(u.other, org)
    client.force_login(u.other)
    assert client.get(org.get_absolute_url()).status_code == 200
    assert client.get(reverse("parties:organization_edit", args=[org.pk])).status_code == 403
    # the person shared with may not share further
    assert client.post(share_url(org), {"team": u.team_b.pk}).status_code == 403


def test_sharing_with_a_team_and_removing_it(client, u, org):
    client.force_login(u.owner)
    client.post(share_url(org), {"team": u.team_b.pk})
    assert org in Organization.objects.visible_to(u.other)
    page = client.get(share_url(org))
    assert "Team B" in page.content.decode()
    share_id = page.context["shares"][0].pk
    assert client.post(reverse("share_remove", args=[share_id])).status_code == 302
    assert org not in Organization.objects.visible_to(u.other)


def test_share_needs_exactly_one_target_and_hides_invisible_records(client, u, org):
    client.force_login(u.owner)
    response = client.post(share_url(org), {})
    assert response.status_code == 200
    assert response.context["form"].errors
    client.force_login(u.other)
    assert client.get(share_url(org)).status_code == 404
    assert client.get(reverse("share", args=["users.user", u.owner.pk])).status_code == 404
    assert client.get(reverse("share", args=["nope.model", 1])).status_code == 404
