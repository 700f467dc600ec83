"""Test data for the pipeline: opportunities in the default pipelines (created by migration 0002)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.commerce.models import Product
from accord.parties.models import Organization
from accord.pipeline.models import LostReason, Opportunity, Pipeline, Stage, StageChange


def new_business() -> Pipeline:
    return Pipeline.objects.get(name="New business")


def renewals() -> Pipeline:
    return Pipeline.objects.get(name="Renewals")


def stage(name: str, pipeline: Pipeline | None = None) -> Stage:
    return Stage.objects.get(pipeline=pipeline or new_business(), name=name)


def lost_reason(name: str = "Price") -> LostReason:
    return LostReason.objects.get(name=name)


def make_organization(*, owner=None, team=None, name: str = "Müller & Söhne GmbH") -> Organization:
    return Organization.objects.create(name=name, owner=owner, team=team, is_client=True)


def make_opportunity(*, owner=None, team=None, **kwargs: Any) -> Opportunity:
    """Built directly (as a fixture), with its first stage change, like the service does."""
    st = kwargs.pop("stage", None) or stage("Qualification")
    org = kwargs.pop("organization", None) or make_organization(owner=owner, team=team)
    values = {
        "title": "Rahmenvertrag Wartung",
        "amount": Decimal("12000.00"),
        "probability": st.probability,
        **kwargs,
    }
    opp = Opportunity.objects.create(
        organization=org, pipeline=st.pipeline, stage=st, owner=owner, team=team, **values
    )
    from django.utils import timezone

    StageChange.objects.create(opportunity=opp, to_stage=st, changed_at=timezone.now())
    return opp


def make_product(**kwargs: Any) -> Product:
    values = {"name": "Wartungspaket", "sku": "WP-1", "list_price": Decimal("1000.00"), **kwargs}
    return Product.objects.create(**values)
