"""Configuring the sales process: pipelines, their stages and the lost reasons.

Only administrators and managers configure (`selectors.config.may_configure`). Rules, each refused
with a message naming the field:

* names are given and unique (pipelines and lost reasons overall, stages within their pipeline);
* exactly one pipeline is the default: making one the default takes the flag from the others in
  the same transaction, and the default cannot be switched off or deleted;
* every pipeline keeps at least one open, one won and one lost stage (a new pipeline starts with
  three, or with a copy of another pipeline's stages);
* a stage's default probability is 0–100; only open stages can be commit stages;
* a stage that holds opportunities cannot be deleted nor change its kind (the message names the
  count), nor can one that the stage history refers to be deleted;
* a pipeline holding opportunities cannot be deleted; a lost reason that was given cannot be
  deleted (deactivate it instead).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core import services as core

from ..choices import StageKind
from ..models import LostReason, Opportunity, Pipeline, Stage, StageChange
from ..selectors.config import may_configure

MAX_ORDER = 32767  # PositiveSmallIntegerField on every database
ORDER_STEP = 10


def require_configure(actor: Any) -> None:
    """Refuse anyone but administrators and managers (None: a system write)."""
    if actor is not None and not may_configure(actor):
        raise PermissionDenied(_("Only administrators and managers may change the pipelines."))


def _text(value: Any, *, field: str, label: str, max_length: int = 100) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: _("Enter a %(label)s.") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("The %(label)s can have at most %(max)d characters.")
                % {"label": label, "max": max_length}
            }
        )
    return text


def _whole_number(value: Any, *, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: message})
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not re.fullmatch(r"-?[0-9]{1,9}", text):
            raise ValidationError({field: message})
        number = int(text)
    if not low <= number <= high:
        raise ValidationError({field: message})
    return number


# --- pipelines ----------------------------------------------------------------------------------


def _starter_stages() -> list[dict[str, Any]]:
    return [
        {"name": _("Qualification"), "probability": 10, "kind": StageKind.OPEN},
        {"name": _("Proposal"), "probability": 50, "kind": StageKind.OPEN, "is_commit": True},
        {"name": _("Won"), "probability": 100, "kind": StageKind.WON},
        {"name": _("Lost"), "probability": 0, "kind": StageKind.LOST},
    ]


def _pipeline_name(value: Any, instance: Pipeline | None = None) -> str:
    name = _text(value, field="name", label=_("name"))
    clash = Pipeline.objects.filter(name__iexact=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("A pipeline named “%(name)s” already exists.") % {"name": name}}
        )
    return name


def _take_default_from_others(actor: Any, keep: Pipeline | None) -> None:
    others = Pipeline.objects.select_for_update().filter(is_default=True)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    for other in others:
        core.model_update(other, actor=actor, data={"is_default": False})


def pipeline_create(*, actor: Any, data: Mapping[str, Any]) -> Pipeline:
    """A new pipeline with a copy of `copy_stages_from`'s stages, or with starter stages (two
    open, won, lost) to rename and extend."""
    require_configure(actor)
    name = _pipeline_name(data.get("name"))
    source: Pipeline | None = data.get("copy_stages_from")
    with transaction.atomic():
        is_default = (
            bool(data.get("is_default")) or not Pipeline.objects.filter(is_default=True).exists()
        )
        if is_default:
            _take_default_from_others(actor, None)
        pipeline = core.model_create(
            Pipeline, actor=actor, data={"name": name, "is_default": is_default}
        )
        if source is not None:
            stages = [
                {
                    "name": s.name,
                    "probability": s.probability,
                    "kind": s.kind,
                    "is_commit": s.is_commit,
                }
                for s in source.stages.order_by("order", "id")
            ]
        else:
            stages = _starter_stages()
        for n, values in enumerate(stages, start=1):
            core.model_create(
                Stage, actor=actor, data={**values, "pipeline": pipeline, "order": n * ORDER_STEP}
            )
        _check_kinds(pipeline)
    return pipeline


def pipeline_update(*, actor: Any, instance: Pipeline, data: Mapping[str, Any]) -> Pipeline:
    require_configure(actor)
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = _pipeline_name(data["name"], instance)
    with transaction.atomic():
        if "is_default" in data:
            wanted = bool(data["is_default"])
            stored = Pipeline.objects.select_for_update().get(pk=instance.pk)
            if stored.is_default and not wanted:
                raise ValidationError(
                    {
                        "is_default": _(
                            "One pipeline must be the default. Make another pipeline the "
                            "default instead."
                        )
                    }
                )
            if wanted and not stored.is_default:
                _take_default_from_others(actor, instance)
            values["is_default"] = wanted
        return core.model_update(instance, actor=actor, data=values)


def pipeline_delete(*, actor: Any, instance: Pipeline) -> None:
    require_configure(actor)
    with transaction.atomic():
        if instance.is_default:
            raise ValidationError(
                {
                    "pipeline": _(
                        "The default pipeline cannot be deleted. Make another pipeline the "
                        "default first."
                    )
                }
            )
        count = Opportunity.objects.filter(pipeline=instance).count()
        if count:
            raise ValidationError(
                {
                    "pipeline": ngettext(
                        "%(count)d opportunity is in the pipeline “%(name)s”. Move it to "
                        "another pipeline first.",
                        "%(count)d opportunities are in the pipeline “%(name)s”. Move them to "
                        "another pipeline first.",
                        count,
                    )
                    % {"count": count, "name": instance.name}
                }
            )
        referenced = (
            StageChange.objects.filter(
                Q(from_stage__pipeline=instance) | Q(to_stage__pipeline=instance)
            )
            .values("opportunity_id")
            .distinct()
            .count()
        )
        if referenced:
            raise ValidationError(
                {
                    "pipeline": ngettext(
                        "The stage history of %(count)d opportunity refers to the stages of "
                        "“%(name)s”, so the pipeline is kept.",
                        "The stage history of %(count)d opportunities refers to the stages of "
                        "“%(name)s”, so the pipeline is kept.",
                        referenced,
                    )
                    % {"count": referenced, "name": instance.name}
                }
            )
        core.model_delete(instance, actor=actor)


# --- stages -------------------------------------------------------------------------------------


def _check_kinds(pipeline: Pipeline, *, without: Stage | None = None, changed: Any = None) -> None:
    """The pipeline keeps at least one open, one won and one lost stage."""
    kinds = []
    for stage in pipeline.stages.all():
        if without is not None and stage.pk == without.pk:
            if changed is not None:
                kinds.append(changed)
            continue
        kinds.append(stage.kind)
    labels = {
        StageKind.OPEN: _("The pipeline needs at least one open stage."),
        StageKind.WON: _("The pipeline needs a won stage."),
        StageKind.LOST: _("The pipeline needs a lost stage."),
    }
    for kind, message in labels.items():
        if kind not in kinds:
            raise ValidationError({"kind": message})


def _opportunity_count_message(count: int, stage: Stage, action: str) -> str:
    if action == "delete":
        text = ngettext(
            "%(count)d opportunity is in the stage “%(stage)s”. Move it to another stage "
            "before deleting the stage.",
            "%(count)d opportunities are in the stage “%(stage)s”. Move them to another "
            "stage before deleting the stage.",
            count,
        )
    else:
        text = ngettext(
            "%(count)d opportunity is in the stage “%(stage)s”, so its kind cannot change. "
            "Move it to another stage first.",
            "%(count)d opportunities are in the stage “%(stage)s”, so its kind cannot change. "
            "Move them to another stage first.",
            count,
        )
    return text % {"count": count, "stage": stage.name}


def _stage_values(
    data: Mapping[str, Any], pipeline: Pipeline, instance: Stage | None
) -> dict[str, Any]:
    """Checked values for a new stage or the changed fields of one."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def check(field: str, fn: Any) -> None:
        try:
            values[field] = fn(data.get(field))
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})

    if "name" in data or instance is None:

        def name(value: Any) -> str:
            text = _text(value, field="name", label=_("name"))
            clash = Stage.objects.filter(pipeline=pipeline, name__iexact=text)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                raise ValidationError(
                    {
                        "name": _("The pipeline “%(pipeline)s” already has a stage “%(name)s”.")
                        % {"pipeline": pipeline.name, "name": text}
                    }
                )
            return text

        check("name", name)
    if "probability" in data and data["probability"] not in (None, ""):
        check(
            "probability",
            lambda v: _whole_number(
                v,
                field="probability",
                low=0,
                high=100,
                message=_("The probability must be a whole number between 0 and 100 per cent."),
            ),
        )
    if "order" in data and data["order"] not in (None, ""):
        check(
            "order",
            lambda v: _whole_number(
                v,
                field="order",
                low=0,
                high=MAX_ORDER,
                message=_("The order must be a whole number between 0 and %(max)d.")
                % {"max": MAX_ORDER},
            ),
        )
    if "kind" in data:
        if data["kind"] not in StageKind.values:
            errors["kind"] = _("Choose open, won or lost as the kind.")
        else:
            values["kind"] = data["kind"]
    if "is_commit" in data:
        values["is_commit"] = bool(data["is_commit"])
    kind = values.get("kind", instance.kind if instance else StageKind.OPEN)
    if kind != StageKind.OPEN and "is_commit" not in data:
        values["is_commit"] = False  # a stage turned won or lost stops being a commit stage
    is_commit = values.get("is_commit", instance.is_commit if instance else False)
    if is_commit and kind != StageKind.OPEN and "kind" not in errors:
        errors["is_commit"] = _("Only open stages can be commit stages.")
    if errors:
        raise ValidationError(errors)
    return values


def stage_create(*, actor: Any, data: Mapping[str, Any]) -> Stage:
    """A new stage at the end of its pipeline unless an order is given."""
    require_configure(actor)
    pipeline: Pipeline | None = data.get("pipeline")
    if pipeline is None:
        raise ValidationError({"pipeline": _("Choose the pipeline the stage belongs to.")})
    values = _stage_values(data, pipeline, None)
    with transaction.atomic():
        if "order" not in values:
            last = pipeline.stages.aggregate(m=Max("order"))["m"] or 0
            values["order"] = min(last + ORDER_STEP, MAX_ORDER)
        values.setdefault("probability", 0)
        values.setdefault("kind", StageKind.OPEN)
        return core.model_create(Stage, actor=actor, data={**values, "pipeline": pipeline})


def stage_update(*, actor: Any, instance: Stage, data: Mapping[str, Any]) -> Stage:
    require_configure(actor)
    pipeline = instance.pipeline
    target = data.get("pipeline")
    if target is not None and getattr(target, "pk", target) != pipeline.pk:
        raise ValidationError(
            {"pipeline": _("A stage cannot move to another pipeline; add a new stage there.")}
        )
    values = _stage_values(data, pipeline, instance)
    with transaction.atomic():
        if "kind" in values and values["kind"] != instance.kind:
            count = Opportunity.objects.filter(stage=instance).count()
            if count:
                raise ValidationError({"kind": _opportunity_count_message(count, instance, "kind")})
            _check_kinds(pipeline, without=instance, changed=values["kind"])
        return core.model_update(instance, actor=actor, data=values)


def stage_delete(*, actor: Any, instance: Stage) -> None:
    require_configure(actor)
    with transaction.atomic():
        count = Opportunity.objects.filter(stage=instance).count()
        if count:
            raise ValidationError({"stage": _opportunity_count_message(count, instance, "delete")})
        try:
            _check_kinds(instance.pipeline, without=instance)
        except ValidationError as exc:
            raise ValidationError({"stage": exc.message_dict["kind"]}) from None
        referenced = (
            StageChange.objects.filter(Q(from_stage=instance) | Q(to_stage=instance))
            .values("opportunity_id")
            .distinct()
            .count()
        )
        if referenced:
            raise ValidationError(
                {
                    "stage": ngettext(
                        "The stage history of %(count)d opportunity refers to the stage "
                        "“%(stage)s”, so it is kept for the time-in-stage report. Rename it "
                        "instead.",
                        "The stage history of %(count)d opportunities refers to the stage "
                        "“%(stage)s”, so it is kept for the time-in-stage report. Rename it "
                        "instead.",
                        referenced,
                    )
                    % {"count": referenced, "stage": instance.name}
                }
            )
        core.model_delete(instance, actor=actor)


def stage_reorder(*, actor: Any, pipeline: Pipeline, stage_ids: Sequence[Any]) -> list[Stage]:
    """Put the pipeline's stages in the given order (every stage named exactly once)."""
    require_configure(actor)
    with transaction.atomic():
        stages = {s.pk: s for s in pipeline.stages.select_for_update()}
        try:
            wanted = [int(pk) for pk in stage_ids]
        except (TypeError, ValueError):
            wanted = []
        if sorted(wanted) != sorted(stages) or len(set(wanted)) != len(wanted):
            raise ValidationError(
                {"stages": _("Name every stage of the pipeline exactly once, in the new order.")}
            )
        ordered = []
        for n, pk in enumerate(wanted, start=1):
            stage = stages[pk]
            if stage.order != n * ORDER_STEP:
                stage = core.model_update(stage, actor=actor, data={"order": n * ORDER_STEP})
            ordered.append(stage)
        return ordered


def stage_move(*, actor: Any, instance: Stage, offset: int) -> list[Stage]:
    """Move a stage `offset` places up (negative) or down (positive) in its pipeline."""
    ids = list(instance.pipeline.stages.order_by("order", "id").values_list("pk", flat=True))
    here = ids.index(instance.pk)
    there = max(0, min(len(ids) - 1, here + offset))
    ids.insert(there, ids.pop(here))
    return stage_reorder(actor=actor, pipeline=instance.pipeline, stage_ids=ids)


# --- lost reasons -------------------------------------------------------------------------------


def _lost_reason_values(data: Mapping[str, Any], instance: LostReason | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in data or instance is None:
        name = _text(data.get("name"), field="name", label=_("name"))
        clash = LostReason.objects.filter(name__iexact=name)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError(
                {"name": _("A lost reason “%(name)s” already exists.") % {"name": name}}
            )
        values["name"] = name
    if "order" in data and data["order"] not in (None, ""):
        values["order"] = _whole_number(
            data["order"],
            field="order",
            low=0,
            high=MAX_ORDER,
            message=_("The order must be a whole number between 0 and %(max)d.")
            % {"max": MAX_ORDER},
        )
    if "active" in data:
        values["active"] = bool(data["active"])
    return values


def lost_reason_create(*, actor: Any, data: Mapping[str, Any]) -> LostReason:
    require_configure(actor)
    values = _lost_reason_values(data, None)
    with transaction.atomic():
        if "order" not in values:
            last = LostReason.objects.aggregate(m=Max("order"))["m"] or 0
            values["order"] = min(last + ORDER_STEP, MAX_ORDER)
        return core.model_create(LostReason, actor=actor, data=values)


def lost_reason_update(*, actor: Any, instance: LostReason, data: Mapping[str, Any]) -> LostReason:
    require_configure(actor)
    values = _lost_reason_values(data, instance)
    return core.model_update(instance, actor=actor, data=values)


def lost_reason_delete(*, actor: Any, instance: LostReason) -> None:
    require_configure(actor)
    with transaction.atomic():
        count = Opportunity.objects.filter(lost_reason=instance).count()
        if count:
            raise ValidationError(
                {
                    "lost_reason": ngettext(
                        "%(count)d opportunity was lost for the reason “%(name)s”, so it cannot "
                        "be deleted. Deactivate it instead.",
                        "%(count)d opportunities were lost for the reason “%(name)s”, so it "
                        "cannot be deleted. Deactivate it instead.",
                        count,
                    )
                    % {"count": count, "name": instance.name}
                }
            )
        core.model_delete(instance, actor=actor)
