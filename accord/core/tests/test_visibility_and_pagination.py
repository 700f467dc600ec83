"""The one visibility rule and the capped paginator, tested on real rows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import EmptyPage

from accord.core import visibility
from accord.core.pagination import CappedPaginator
from accord.core.testing import make_users
from accord.parties.models import Organization, Person, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def u():
    return make_users()


def test_rule_per_role(u):
    mine = Organization.objects.create(name="A-Team Org", owner=u.owner, team=u.team_a)
    theirs = Organization.objects.create(name="B-Team Org", owner=u.other, team=u.team_b)
    orphan = Organization.objects.create(name="Nobody's")
    everything = {mine, theirs, orphan}
    assert set(Organization.objects.visible_to(u.admin)) == everything
    assert set(Organization.objects.visible_to(u.manager)) == everything
    assert set(Organization.objects.visible_to(u.owner)) == {mine}
    assert set(Organization.objects.visible_to(u.viewer)) == {mine}  # same team, read only
    assert set(Organization.objects.visible_to(u.other)) == {theirs}
    assert list(Organization.objects.visible_to(AnonymousUser())) == []
    assert visibility.can_change(u.owner, mine) and not visibility.can_change(u.viewer, mine)
    assert not visibility.can_change(u.other, mine)
    assert visibility.can_change(u.manager, theirs) and visibility.can_change(u.admin, orphan)
    assert not visibility.may_write(u.viewer) and visibility.may_write(u.other)


def test_inactive_user_sees_nothing(u):
    Organization.objects.create(name="X", owner=u.owner, team=u.team_a)
    u.owner.is_active = False
    assert not Organization.objects.visible_to(u.owner).exists()
    assert not visibility.may_write(u.owner)


def test_child_records_follow_their_parent(u):
    org = Organization.objects.create(name="Shared employer", owner=u.other, team=u.team_b)
    person = Person.objects.create(last_name="Kind", owner=u.owner, team=u.team_a)
    position = Position.objects.create(person=person, organization=org, title="CFO")
    assert list(Position.objects.visible_to(u.owner)) == [position]
    assert list(Position.objects.visible_to(u.other)) == []
    assert visibility.can_change(u.owner, position)
    assert not visibility.can_change(u.other, position)


def test_capped_paginator_counts_at_most_the_cap(u):
    for i in range(12):
        Organization.objects.create(name=f"Org {i:02d}")
    qs = Organization.objects.order_by("name")
    paginator = CappedPaginator(qs, 5, cap=10)
    assert paginator.count == 11 and paginator.is_capped
    assert "more than" in paginator.count_display
    deep = paginator.page(3)  # beyond what the capped count would allow, still reachable
    assert [o.name for o in deep] == ["Org 10", "Org 11"]
    assert not deep.has_next() and deep.has_previous()
    first = paginator.page(1)
    assert first.has_next() and first.end_index() == 5
    exact = CappedPaginator(qs, 5, cap=100)
    assert exact.count == 12 and not exact.is_capped and exact.num_pages == 3
    with pytest.raises(EmptyPage):
        exact.page(4)
