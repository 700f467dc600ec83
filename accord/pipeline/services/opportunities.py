"""Opportunities: the stage decides probability defaults and closing; every move is recorded.

Rules (each refused with a message naming the field): amount not below zero; probability 0–100;
the stage belongs to the opportunity's pipeline; an open opportunity's expected close date not
more than a year in the past; a won opportunity has an amount; a lost one has a reason. An update
carrying the `updated_at` it was based on (`version` or `expected_updated_at`) is refused when the
record changed meanwhile, so nobody overwrites another user's change without seeing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accord.core import services as core

from ..choices import StageKind
from ..models import LostReason, Opportunity, Pipeline, Stage, StageChange
from .competitors import opportunity_lost_to_record

STALE_VERSION = "version"
VERSION_KEYS = ("version", "expected_updated_at")
FAR_PAST = dt.timedelta(days=365)


def _pop_version(data: dict[str, Any]) -> Any:
    found = None
    for key in VERSION_KEYS:
        value = data.pop(key, None)
        if value not in (None, ""):
            found = value
    return found


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValidationError(
            {STALE_VERSION: _("Not a valid version (the record's updated time).")}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _check_version(instance: Opportunity, expected: Any) -> None:
    """Refuse the write when the stored record is newer than the one the user edited."""
    if expected is None:
        return
    stored = (
        Opportunity.objects.select_for_update()
        .filter(pk=instance.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    if stored is None or abs(stored - _as_datetime(expected)) > dt.timedelta(microseconds=999):
        raise ValidationError(
            {
                STALE_VERSION: _(
                    "Someone else changed this opportunity in the meantime. Reload it to see "
                    "their change, then make yours again."
                )
            }
        )


def _first_stage(pipeline: Pipeline) -> Stage | None:
    return pipeline.stages.order_by("order", "id").first()


def _default_pipeline() -> Pipeline | None:
    return Pipeline.objects.order_by("-is_default", "id").first()


def validate_opportunity(values: Mapping[str, Any]) -> None:
    """The business rules of one opportunity's (future) state; raises naming every bad field."""
    errors: dict[str, str] = {}
    stage: Stage | None = values.get("stage")
    pipeline: Pipeline | None = values.get("pipeline")
    amount = values.get("amount")
    try:
        amount = Decimal(amount) if amount is not None else Decimal("0")
    except (InvalidOperation, TypeError, ValueError):
        errors["amount"] = _("Enter the amount as a number.")
        amount = Decimal("0")
    if amount < 0:
        errors["amount"] = _("The amount cannot be below zero.")
    probability = values.get("probability")
    if probability is not None and not 0 <= int(probability) <= 100:
        errors["probability"] = _("The probability must be between 0 and 100 per cent.")
    if stage is None:
        errors["stage"] = _("Choose a stage.")
    elif pipeline is not None and stage.pipeline_id != pipeline.pk:
        errors["stage"] = _(
            "The stage “%(stage)s” belongs to another pipeline than “%(pipeline)s”."
        ) % {
            "stage": stage,
            "pipeline": pipeline,
        }
    if stage is not None:
        close = values.get("expected_close_date")
        if (
            stage.kind == StageKind.OPEN
            and close is not None
            and close < timezone.localdate() - FAR_PAST
        ):
            errors["expected_close_date"] = _(
                "An open opportunity cannot be expected to close more than a year in the past."
            )
        if stage.kind == StageKind.WON and amount <= 0 and "amount" not in errors:
            errors["amount"] = _("A won opportunity needs an amount above zero.")
        if stage.kind == StageKind.LOST and values.get("lost_reason") is None:
            errors["lost_reason"] = _("A lost opportunity needs a reason.")
    if errors:
        raise ValidationError(errors)


def _closed_at(stage: Stage, current: dt.datetime | None) -> dt.datetime | None:
    if stage.kind == StageKind.OPEN:
        return None
    return current or timezone.now()


def _record_stage_change(
    opportunity: Opportunity, from_stage: Stage | None, actor: Any
) -> StageChange:
    change = StageChange(
        opportunity=opportunity,
        from_stage=from_stage,
        to_stage=opportunity.stage,
        changed_at=timezone.now(),
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    change.full_clean()
    change.save()
    return change


def lines_total(opportunity: Opportunity) -> Decimal | None:
    """The sum of the line totals, or None when the opportunity has no lines."""
    lines = list(opportunity.lines.all())
    if not lines:
        return None
    return sum((line.total for line in lines), Decimal("0"))


def opportunity_create(*, actor: Any, data: Mapping[str, Any]) -> Opportunity:
    data = dict(data)
    _pop_version(data)
    stage: Stage | None = data.get("stage")
    pipeline: Pipeline | None = data.get("pipeline")
    if pipeline is None:
        pipeline = stage.pipeline if stage is not None else _default_pipeline()
        data["pipeline"] = pipeline
    if stage is None and pipeline is not None:
        stage = _first_stage(pipeline)
        data["stage"] = stage
    if data.get("probability") is None and stage is not None:
        data["probability"] = stage.probability
    if data.get("amount") is None:
        data.pop("amount", None)
    validate_opportunity(data)
    assert stage is not None  # validate_opportunity refuses a missing stage
    data["closed_at"] = _closed_at(stage, None)
    with transaction.atomic():
        opportunity = core.model_create(Opportunity, actor=actor, data=data)
        _record_stage_change(opportunity, None, actor)
        opportunity_lost_to_record(actor=actor, opportunity=opportunity)
    return opportunity


def opportunity_update(
    *, actor: Any, instance: Opportunity, data: Mapping[str, Any]
) -> Opportunity:
    data = dict(data)
    expected = _pop_version(data)
    core.require_change(actor, instance)
    with transaction.atomic():
        _check_version(instance, expected)
        old_stage = instance.stage
        if data.get("stage") is None:
            data.pop("stage", None)
        if data.get("pipeline") is None:
            # no pipeline named: the stage's (a stage named alone moves the deal with it)
            data.pop("pipeline", None)
            if "stage" in data:
                data["pipeline"] = data["stage"].pipeline
        stage: Stage = data.get("stage") or old_stage
        pipeline: Pipeline = data.get("pipeline") or instance.pipeline
        if "stage" not in data and stage.pipeline_id != pipeline.pk:
            stage = _first_stage(pipeline) or stage
            data["stage"] = stage
        stage_changed = stage.pk != old_stage.pk
        if data.get("probability") is None:
            if stage_changed or "probability" in data:
                data["probability"] = stage.probability
            else:
                data.pop("probability", None)
        if data.get("amount") is None:
            data.pop("amount", None)
        total = lines_total(instance)
        if total is not None:
            data["amount"] = total  # the amount follows the lines
        merged = {
            "stage": stage,
            "pipeline": pipeline,
            "amount": data.get("amount", instance.amount),
            "probability": data.get("probability", instance.probability),
            "expected_close_date": data.get("expected_close_date", instance.expected_close_date),
            "lost_reason": data.get("lost_reason", instance.lost_reason),
        }
        validate_opportunity(merged)
        data["closed_at"] = _closed_at(stage, instance.closed_at if not stage_changed else None)
        if stage.kind != StageKind.OPEN and not stage_changed and instance.closed_at:
            data["closed_at"] = instance.closed_at
        opportunity = core.model_update(instance, actor=actor, data=data)
        if stage_changed:
            _record_stage_change(opportunity, old_stage, actor)
        opportunity_lost_to_record(actor=actor, opportunity=opportunity)
    return opportunity


def opportunity_move(
    *,
    actor: Any,
    instance: Opportunity,
    stage: Stage,
    version: Any = None,
    lost_reason: LostReason | None = None,
    won_competitor: Any = None,
) -> Opportunity:
    """Move an opportunity to another stage of its pipeline (the board's drag and drop).

    Refused when the record changed since `version` (its `updated_at` as the board showed it); a
    lost stage needs a reason (and may name the competitor that won); a move to any other stage
    forgets the lost reason and competitor of an earlier loss. The stage change is recorded.
    """
    if stage.pipeline_id != instance.pipeline_id:
        raise ValidationError(
            {
                "stage": _("Choose a stage of the pipeline “%(pipeline)s”.")
                % {"pipeline": instance.pipeline}
            }
        )
    data: dict[str, Any] = {"stage": stage, "version": version}
    if stage.kind == StageKind.LOST:
        data["lost_reason"] = lost_reason
        data["won_competitor"] = won_competitor
    else:
        data["lost_reason"] = None
        data["won_competitor"] = None
    return opportunity_update(actor=actor, instance=instance, data=data)


def opportunity_delete(*, actor: Any, instance: Opportunity) -> None:
    core.model_delete(instance, actor=actor)
