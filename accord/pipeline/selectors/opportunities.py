"""Reads of the pipeline app, visibility applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accord.core import visibility

from ..choices import StageKind
from ..models import LostReason, Opportunity, OpportunityLine, Pipeline, Stage, StageChange


def opportunity_list(user: Any) -> QuerySet[Opportunity]:
    return Opportunity.objects.visible_to(user).select_related(
        "organization", "pipeline", "stage", "owner", "team"
    )


def opportunity_detail(user: Any, opportunity: Opportunity) -> dict[str, Any]:
    """Lines and stage history (with time spent in each stage) for the opportunity page."""
    lines = list(OpportunityLine.objects.filter(opportunity=opportunity).select_related("product"))
    changes = list(
        StageChange.objects.filter(opportunity=opportunity).select_related(
            "from_stage", "to_stage", "changed_by"
        )
    )
    history = []
    for i, change in enumerate(changes):
        until = changes[i + 1].changed_at if i + 1 < len(changes) else None
        history.append({"change": change, "until": until})
    return {"lines": lines, "stage_history": history}


def opportunity_line_list(user: Any) -> QuerySet[OpportunityLine]:
    return OpportunityLine.objects.visible_to(user).select_related("opportunity", "product")


def open_opportunities_of(user: Any, organization: Any) -> QuerySet[Opportunity]:
    """The organization's open opportunities the user may see (for the organization page)."""
    return (
        opportunity_list(user)
        .filter(organization=organization, stage__kind=StageKind.OPEN)
        .order_by("expected_close_date", "id")
    )


def pipeline_list(user: Any) -> QuerySet[Pipeline]:
    if not visibility.is_authenticated(user):
        return Pipeline.objects.none()
    return Pipeline.objects.prefetch_related("stages")


def stage_list(user: Any) -> QuerySet[Stage]:
    if not visibility.is_authenticated(user):
        return Stage.objects.none()
    return Stage.objects.select_related("pipeline")


def lost_reason_list(user: Any) -> QuerySet[LostReason]:
    if not visibility.is_authenticated(user):
        return LostReason.objects.none()
    return LostReason.objects.filter(Q(active=True))
