"""Reads of the pipeline configuration: pipelines with their stages and how much each holds, and
the lost reasons with how often each was given. Everyone signed in reads them (the board, the
forms and the API need them); administrators and managers change them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from accord.core import visibility

from ..models import LostReason, Opportunity, Pipeline, Stage


def may_configure(user: Any) -> bool:
    """Whether the user may change pipelines, stages and lost reasons: administrators and
    managers (the sales leads who own the sales process); members and viewers read them."""
    return visibility.sees_everything(user) and visibility.may_write(user)


def pipeline_config_list(user: Any) -> QuerySet[Pipeline]:
    """Pipelines, the default first, with their stages (one extra query)."""
    if not visibility.is_authenticated(user):
        return Pipeline.objects.none()
    return Pipeline.objects.order_by("-is_default", "name", "id").prefetch_related("stages")


def stage_config_list(user: Any) -> QuerySet[Stage]:
    if not visibility.is_authenticated(user):
        return Stage.objects.none()
    return Stage.objects.select_related("pipeline").order_by("pipeline", "order", "id")


def lost_reason_config_list(user: Any) -> QuerySet[LostReason]:
    """Every lost reason, active or not (the board and forms offer only the active ones)."""
    if not visibility.is_authenticated(user):
        return LostReason.objects.none()
    return LostReason.objects.order_by("order", "name", "id")


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    opportunities: int  # all of them, whoever may see them: what deleting the stage would hit


def pipeline_stage_rows(user: Any, pipeline: Pipeline) -> list[StageRow]:
    """The pipeline's stages in order with the number of opportunities in each (one query)."""
    if not visibility.is_authenticated(user):
        return []
    counts = dict(
        Opportunity.objects.filter(pipeline=pipeline)
        .order_by()
        .values("stage_id")
        .annotate(n=Count("id"))
        .values_list("stage_id", "n")
    )
    stages = pipeline.stages.order_by("order", "id")
    return [StageRow(stage=s, opportunities=counts.get(s.pk, 0)) for s in stages]


def lost_reason_usage(user: Any) -> dict[int, int]:
    """How many opportunities were lost for each reason (one query)."""
    if not visibility.is_authenticated(user):
        return {}
    return dict(
        Opportunity.objects.exclude(lost_reason=None)
        .order_by()
        .values("lost_reason_id")
        .annotate(n=Count("id"))
        .values_list("lost_reason_id", "n")
    )
