"""Engagement plans and their planned contacts; consultations.

A plan names exactly one organization or person; its planned contacts belong to it (whoever may
change the plan may change them). A contact linked to an interaction that took place is done.
A consultation has a date, ends no earlier than it starts and groups interactions the actor sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core

from ..models import Consultation, EngagementPlan, PlannedEngagement
from .common import check_links, merged, one_stakeholder_errors, trim


# --- plans -----------------------------------------------------------------------------------
def _plan_data(actor: Any, data: Mapping[str, Any], instance: Any) -> dict[str, Any]:
    data = dict(data)
    trim(data, "note")
    if "note" in data and data["note"] is None:
        data["note"] = ""
    values = merged(data, instance, "organization", "person")
    if instance is not None:
        values["organization"] = data.get("organization", instance.organization_id)
        values["person"] = data.get("person", instance.person_id)
    errors = one_stakeholder_errors(values)
    errors.update(check_links(actor, data, instance))
    if errors:
        raise ValidationError(errors)
    return data


def plan_create(*, actor: Any, data: Mapping[str, Any]) -> EngagementPlan:
    core.require_write(actor)
    prepared = _plan_data(actor, data, None)
    with transaction.atomic():
        return core.model_create(EngagementPlan, actor=actor, data=prepared)


def plan_update(*, actor: Any, instance: EngagementPlan, data: Mapping[str, Any]) -> EngagementPlan:
    core.require_change(actor, instance)
    prepared = _plan_data(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def plan_delete(*, actor: Any, instance: EngagementPlan) -> None:
    core.model_delete(instance, actor=actor)


# --- planned contacts --------------------------------------------------------------------------
def _item_data(actor: Any, data: Mapping[str, Any], instance: Any) -> dict[str, Any]:
    data = dict(data)
    trim(data, "purpose")
    values = merged(data, instance, "purpose", "planned_on")
    errors: dict[str, str] = {}
    if not str(values["purpose"] or "").strip():
        errors["purpose"] = _("Say what the contact is for.")
    if values["planned_on"] in (None, ""):
        errors["planned_on"] = _("Enter the planned date.")
    errors.update(check_links(actor, data, instance))
    if errors:
        raise ValidationError(errors)
    if data.get("interaction") not in (None, ""):
        data["done"] = True  # it took place
    return data


def planned_engagement_create(*, actor: Any, data: Mapping[str, Any]) -> PlannedEngagement:
    """A planned contact of a plan the actor may change (`data["plan"]`)."""
    core.require_write(actor)
    plan = data.get("plan")
    if plan is None:
        raise ValidationError({"plan": _("Choose the engagement plan.")})
    if not isinstance(plan, EngagementPlan):
        plan = EngagementPlan.objects.get(pk=plan)
    core.require_change(actor, plan)
    prepared = _item_data(actor, {**data, "plan": plan}, None)
    with transaction.atomic():
        return core.model_create(PlannedEngagement, actor=actor, data=prepared)


def planned_engagement_update(
    *, actor: Any, instance: PlannedEngagement, data: Mapping[str, Any]
) -> PlannedEngagement:
    core.require_change(actor, instance)
    data = dict(data)
    if "plan" in data and getattr(data["plan"], "pk", data["plan"]) != instance.plan_id:
        raise ValidationError({"plan": _("A planned contact cannot move to another plan.")})
    data.pop("plan", None)
    prepared = _item_data(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def planned_engagement_delete(*, actor: Any, instance: PlannedEngagement) -> None:
    core.model_delete(instance, actor=actor)


# --- consultations -----------------------------------------------------------------------------
def _consultation_data(actor: Any, data: Mapping[str, Any], instance: Any) -> dict[str, Any]:
    data = dict(data)
    trim(data, "title", "place", "note")
    for name in ("place", "note"):
        if name in data and data[name] is None:
            data[name] = ""
    values = merged(data, instance, "title", "starts_on", "ends_on")
    errors: dict[str, str] = {}
    if not str(values["title"] or "").strip():
        errors["title"] = _("Enter a title.")
    if values["starts_on"] in (None, ""):
        errors["starts_on"] = _("Enter the date.")
    elif values["ends_on"] and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The end cannot be before the start.")
    errors.update(check_links(actor, data, instance))
    if errors:
        raise ValidationError(errors)
    return data


def consultation_create(*, actor: Any, data: Mapping[str, Any]) -> Consultation:
    core.require_write(actor)
    prepared = _consultation_data(actor, data, None)
    with transaction.atomic():
        return core.model_create(Consultation, actor=actor, data=prepared)


def consultation_update(
    *, actor: Any, instance: Consultation, data: Mapping[str, Any]
) -> Consultation:
    core.require_change(actor, instance)
    prepared = _consultation_data(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def consultation_delete(*, actor: Any, instance: Consultation) -> None:
    core.model_delete(instance, actor=actor)
