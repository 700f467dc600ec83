"""Stakeholder projects and assessments.

An assessment names exactly one organization or person, rates power and interest 1–5 and is not
dated in the future. Each re-assessment is a new row; the latest per stakeholder and project
(by `assessed_on`, then id) is marked current, here, whenever a row is written or deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility

from ..models import StakeholderAssessment, StakeholderProject
from .common import check_links, merged, one_stakeholder_errors, trim


# --- projects --------------------------------------------------------------------------------
def _project_data(actor: Any, data: Mapping[str, Any], instance: Any) -> dict[str, Any]:
    data = dict(data)
    trim(data, "name", "description", "location")
    values = merged(data, instance, "name")
    if not str(values["name"] or "").strip():
        raise ValidationError({"name": _("Enter a name.")})
    return data


def project_create(*, actor: Any, data: Mapping[str, Any]) -> StakeholderProject:
    core.require_write(actor)
    prepared = _project_data(actor, data, None)
    with transaction.atomic():
        return core.model_create(StakeholderProject, actor=actor, data=prepared)


def project_update(
    *, actor: Any, instance: StakeholderProject, data: Mapping[str, Any]
) -> StakeholderProject:
    core.require_change(actor, instance)
    prepared = _project_data(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def project_delete(*, actor: Any, instance: StakeholderProject) -> None:
    core.model_delete(instance, actor=actor)


# --- assessments -----------------------------------------------------------------------------
def stakeholder_key(row: Any) -> tuple[Any, Any, Any]:
    """(organization id, person id, project id): whose assessments follow one another."""
    return (row.organization_id, row.person_id, row.project_id)


def refresh_current(organization_id: Any, person_id: Any, project_id: Any) -> None:
    """Mark the latest assessment of one stakeholder (and project) current, the others not."""
    rows = StakeholderAssessment.objects.filter(
        organization_id=organization_id, person_id=person_id, project_id=project_id
    )
    latest = rows.order_by("-assessed_on", "-id").values_list("pk", flat=True).first()
    if latest is None:
        return
    rows.exclude(pk=latest).filter(is_current=True).update(is_current=False)
    rows.filter(pk=latest, is_current=False).update(is_current=True)


def _assessment_data(
    actor: Any, data: Mapping[str, Any], instance: StakeholderAssessment | None
) -> dict[str, Any]:
    data = dict(data)
    data.pop("salience", None)
    data.pop("is_current", None)
    trim(data, "note")
    if "assessed_on" in data and data["assessed_on"] is None:
        data.pop("assessed_on")
    if "note" in data and data["note"] is None:
        data["note"] = ""
    values = merged(data, instance, "organization", "person", "power", "interest", "assessed_on")
    if instance is not None:
        values["organization"] = data.get("organization", instance.organization_id)
        values["person"] = data.get("person", instance.person_id)
    errors = one_stakeholder_errors(values)
    for name in ("power", "interest"):
        value = values[name]
        if value is not None and not (1 <= int(value) <= 5):
            errors[name] = _("Rate from 1 (low) to 5 (high).")
    assessed = values["assessed_on"]
    if assessed is not None and assessed > timezone.localdate():
        errors["assessed_on"] = _("An assessment cannot be dated in the future.")
    errors.update(check_links(actor, data, instance))
    if errors:
        raise ValidationError(errors)
    if instance is None and not data.get("assessed_by") and visibility.is_authenticated(actor):
        data["assessed_by"] = actor
    return data


def assessment_create(*, actor: Any, data: Mapping[str, Any]) -> StakeholderAssessment:
    """A new assessment (or re-assessment) of a stakeholder; it becomes current when it is the
    latest of that stakeholder and project."""
    core.require_write(actor)
    prepared = _assessment_data(actor, data, None)
    with transaction.atomic():
        row = core.model_create(StakeholderAssessment, actor=actor, data=prepared)
        refresh_current(*stakeholder_key(row))
        row.refresh_from_db(fields=["is_current"])
        return row


def assessment_update(
    *, actor: Any, instance: StakeholderAssessment, data: Mapping[str, Any]
) -> StakeholderAssessment:
    core.require_change(actor, instance)
    before = stakeholder_key(instance)
    prepared = _assessment_data(actor, data, instance)
    with transaction.atomic():
        row = core.model_update(instance, actor=actor, data=prepared)
        refresh_current(*before)
        if stakeholder_key(row) != before:
            refresh_current(*stakeholder_key(row))
        row.refresh_from_db(fields=["is_current"])
        return row


def assessment_delete(*, actor: Any, instance: StakeholderAssessment) -> None:
    key = stakeholder_key(instance)
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        refresh_current(*key)


def reassessment_initial(previous: StakeholderAssessment) -> dict[str, Any]:
    """The values a re-assessment starts from: the previous one's, dated today."""
    return {
        "organization": previous.organization_id,
        "person": previous.person_id,
        "project": previous.project_id,
        "category": previous.category,
        "power": previous.power,
        "interest": previous.interest,
        "legitimacy": previous.legitimacy,
        "urgency": previous.urgency,
        "attitude": previous.attitude,
        "assessed_on": timezone.localdate(),
    }
