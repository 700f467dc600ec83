"""Test data for targets and the forecast: targets, and opportunities closed or expected at
chosen times (created_at backdated as the demo does)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from accord.pipeline.models import Opportunity, RevenueTarget
from accord.pipeline.selectors.targets import Scope

from .factories import make_opportunity, make_organization, stage


def make_target(
    *,
    amount: str | Decimal = "100000",
    period_kind: str = "quarter",
    period_start: dt.date = dt.date(2025, 1, 1),
    scope: str = "company",
    **kwargs: Any,
) -> RevenueTarget:
    target = RevenueTarget(
        amount=Decimal(amount),
        period_kind=period_kind,
        period_start=period_start,
        scope=scope,
        **kwargs,
    )
    target.scope_key = Scope.of(target).key
    target.save()
    return target


def deal(
    *,
    stage_name: str,
    amount: str | Decimal,
    owner=None,
    team=None,
    closed_at: dt.datetime | None = None,
    expected: dt.date | None = None,
    created_at: dt.datetime | None = None,
    probability: int | None = None,
    organization=None,
    pipeline=None,
) -> Opportunity:
    st = stage(stage_name, pipeline)
    values: dict[str, Any] = {
        "stage": st,
        "amount": Decimal(amount),
        "closed_at": closed_at,
        "expected_close_date": expected or (closed_at.date() if closed_at else None),
        "probability": st.probability if probability is None else probability,
    }
    if organization is not None:
        values["organization"] = organization
    opp = make_opportunity(owner=owner, team=team, **values)
    if created_at is not None:
        Opportunity.objects.filter(pk=opp.pk).update(created_at=created_at)
        opp.created_at = created_at
    return opp


def organization(*, owner=None, team=None, industry: str = "", region: str = "", name="Kunde AG"):
    org = make_organization(owner=owner, team=team, name=name)
    org.industry, org.region = industry, region
    org.save(update_fields=["industry", "region"])
    return org
