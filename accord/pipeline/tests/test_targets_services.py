"""Revenue target rules: who may set them, and each bad input refused with a message naming
the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats

from accord.pipeline.models import RevenueTarget
from accord.pipeline.services import (
    revenue_target_create,
    revenue_target_delete,
    revenue_target_update,
)

pytestmark = pytest.mark.django_db

Q2 = dt.date(2025, 4, 1)


def data(**overrides):
    values = {
        "period_kind": "quarter",
        "period_start": Q2,
        "scope": "company",
        "amount": Decimal("250000"),
        "currency": "EUR",
    }
    values.update(overrides)
    return values


def refused(users, field, **overrides) -> str:
    with pytest.raises(ValidationError) as exc:
        revenue_target_create(actor=users.manager, data=data(**overrides))
    errors = exc.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def test_manager_and_admin_set_targets_and_the_scope_key_is_filled(users):
    company = revenue_target_create(actor=users.manager, data=data())
    assert company.scope_key == "company"
    mine = revenue_target_create(
        actor=users.admin, data=data(scope="user", user=users.owner, amount="80000")
    )
    assert mine.scope_key == f"user:{users.owner.pk}"
    team = revenue_target_create(actor=users.admin, data=data(scope="team", team=users.team_a))
    assert team.scope_key == f"team:{users.team_a.pk}"
    industry = revenue_target_create(actor=users.admin, data=data(scope="industry", industry="it"))
    assert industry.scope_key == "industry:it"
    region = revenue_target_create(actor=users.admin, data=data(scope="region", region=" Bayern "))
    assert region.scope_key == "region:Bayern" and region.region == "Bayern"
    assert company.history.first().history_user == users.manager


@pytest.mark.parametrize("role", ["owner", "viewer", "other"])
def test_members_and_viewers_may_not_set_targets(users, role):
    with pytest.raises(PermissionDenied, match="managers and administrators"):
        revenue_target_create(actor=getattr(users, role), data=data())
    target = revenue_target_create(actor=users.manager, data=data(scope="team", team=users.team_a))
    # the owner is in team A: still not allowed to change the team's target
    with pytest.raises(PermissionDenied):
        revenue_target_update(
            actor=getattr(users, role), instance=target, data={"amount": Decimal("1")}
        )
    with pytest.raises(PermissionDenied):
        revenue_target_delete(actor=getattr(users, role), instance=target)
    assert RevenueTarget.objects.get(pk=target.pk).amount == Decimal("250000")


def test_period_start_must_be_the_first_day_of_the_period(users):
    message = refused(users, "period_start", period_start=dt.date(2025, 5, 3))
    meant = formats.date_format(dt.date(2025, 4, 1), "SHORT_DATE_FORMAT")
    assert "first day of a quarter" in message and f"Did you mean {meant}?" in message
    assert "first day of a year" in refused(
        users, "period_start", period_kind="year", period_start=dt.date(2025, 4, 1)
    )
    assert "first day of a month" in refused(
        users, "period_start", period_kind="month", period_start=dt.date(2025, 4, 2)
    )
    assert refused(users, "period_start", period_start=None)
    assert refused(users, "period_kind", period_kind="week")


@pytest.mark.parametrize(
    ("scope", "field", "words"),
    [
        ("user", "user", "Choose the user"),
        ("team", "team", "Choose the team"),
        ("industry", "industry", "Choose the industry"),
        ("region", "region", "Enter the region"),
    ],
)
def test_a_scope_needs_its_field(users, scope, field, words):
    assert words in refused(users, field, scope=scope)


def test_a_scope_takes_nothing_else(users):
    assert "leave it empty" in refused(users, "user", scope="company", user=users.owner)
    assert "leave it empty" in refused(
        users, "team", scope="user", user=users.owner, team=users.team_a
    )
    assert "leave it empty" in refused(users, "region", scope="industry", industry="it", region="X")
    assert refused(users, "scope", scope="planet")


def test_amount_not_below_zero(users):
    assert "below zero" in refused(users, "amount", amount=Decimal("-1"))
    assert refused(users, "amount", amount=None)
    assert refused(users, "amount", amount="viel")
    assert revenue_target_create(actor=users.manager, data=data(amount=Decimal("0"))).amount == 0


def test_one_target_per_scope_and_period(users):
    revenue_target_create(actor=users.manager, data=data(scope="team", team=users.team_a))
    message = refused(users, "period_start", scope="team", team=users.team_a, amount="1")
    assert "already a target" in message and "Team A" in message and "Q2 2025" in message
    # another period kind or another team is fine
    revenue_target_create(
        actor=users.manager,
        data=data(scope="team", team=users.team_a, period_kind="month", period_start=Q2),
    )
    revenue_target_create(actor=users.manager, data=data(scope="team", team=users.team_b))


def test_update_keeps_the_rules_and_moves_the_scope_key(users):
    target = revenue_target_create(actor=users.manager, data=data())
    other = revenue_target_create(actor=users.manager, data=data(period_start=dt.date(2025, 7, 1)))
    with pytest.raises(ValidationError) as exc:
        revenue_target_update(actor=users.manager, instance=other, data={"period_start": Q2})
    assert "period_start" in exc.value.message_dict
    changed = revenue_target_update(
        actor=users.manager, instance=target, data={"scope": "user", "user": users.other}
    )
    assert changed.scope_key == f"user:{users.other.pk}"
    back = revenue_target_update(
        actor=users.manager, instance=changed, data={"scope": "company", "user": None}
    )
    assert back.scope_key == "company" and back.user is None
    with pytest.raises(ValidationError) as exc:
        revenue_target_update(actor=users.manager, instance=back, data={"amount": Decimal("-5")})
    assert "amount" in exc.value.message_dict
    revenue_target_delete(actor=users.manager, instance=back)
    assert not RevenueTarget.objects.filter(pk=target.pk).exists()
