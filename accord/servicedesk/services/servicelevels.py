"""Writes of the service-level configuration: service hours, policies, client tiers and case
categories. Administrators and managers only (`may_configure`); every change that moves due
times (hours, policies, tiers) recomputes the clocks of the open cases it touches, in the same
transaction.

Rules (refused with a message naming the field): service hours need at least one working day, a
start before the end and a known time zone; there is one company default (no team); one policy
per priority and tier; a tier only for an organization the user may see, once per organization.
`restore_servicedesk_defaults()` puts back the configuration a new installation starts with.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization

from ..models import (
    DEFAULT_CATEGORIES,
    DEFAULT_POLICIES,
    CaseCategory,
    CasePriority,
    ClientTier,
    OrganizationServiceTier,
    ServiceHours,
    ServiceLevelPolicy,
)
from ..selectors.servicelevels import may_configure


def require_configure(actor: Any) -> None:
    if actor is not None and not may_configure(actor):
        raise PermissionDenied(_("Only administrators and managers may change service levels."))


def _refresh(**filters: Any) -> None:
    from .cases import cases_refresh_clocks

    cases_refresh_clocks(**filters)


# --- service hours -------------------------------------------------------------------------------
def _weekdays(value: Any) -> str:
    if isinstance(value, str):
        items = [v for v in value.split(",") if v.strip()]
    else:
        items = list(value or [])
    days = sorted({int(str(v).strip()) for v in items if str(v).strip().isdigit()})
    return ",".join(str(d) for d in days if 0 <= d <= 6)


def _prepare_hours(data: Mapping[str, Any], instance: ServiceHours | None) -> dict[str, Any]:
    values = dict(data)
    if "weekdays" in values:
        values["weekdays"] = _weekdays(values["weekdays"])
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
    errors: dict[str, str] = {}

    def current(name: str) -> Any:
        return values.get(name, getattr(instance, name) if instance else None)

    if not current("name"):
        errors["name"] = _("Give the service hours a name.")
    weekdays = current("weekdays") if instance or "weekdays" in values else "0,1,2,3,4"
    if not weekdays:
        errors["weekdays"] = _("Choose at least one working day.")
    start, end = current("start_time"), current("end_time")
    if start is not None and end is not None and start >= end:
        errors["end_time"] = _("The end must be after the start.")
    zone = values.get("time_zone")
    if zone is not None:
        try:
            zoneinfo.ZoneInfo(str(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = _("Unknown time zone (e.g. Europe/Berlin).")
    team = current("team")
    team_id = getattr(team, "pk", team)
    others = ServiceHours.objects.all()
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if team_id is None and others.filter(team__isnull=True).exists():
        errors["team"] = _("The company default exists already; choose a team.")
    elif team_id is not None and others.filter(team_id=team_id).exists():
        errors["team"] = _("This team has service hours already.")
    if errors:
        raise ValidationError(errors)
    return values


def service_hours_create(*, actor: Any, data: Mapping[str, Any]) -> ServiceHours:
    require_configure(actor)
    values = _prepare_hours(data, None)
    with transaction.atomic():
        hours = core.model_create(ServiceHours, actor=actor, data=values)
        _refresh(team_id=hours.team_id)
    return hours


def service_hours_update(
    *, actor: Any, instance: ServiceHours, data: Mapping[str, Any]
) -> ServiceHours:
    require_configure(actor)
    old_team = instance.team_id
    values = _prepare_hours(data, instance)
    with transaction.atomic():
        hours = core.model_update(instance, actor=actor, data=values)
        _refresh(all_teams=True) if hours.team_id is None else _refresh(team_id=hours.team_id)
        if old_team != hours.team_id and old_team is not None:
            _refresh(team_id=old_team)
    return hours


def service_hours_delete(*, actor: Any, instance: ServiceHours) -> None:
    require_configure(actor)
    with transaction.atomic():
        team_id = instance.team_id
        core.model_delete(instance, actor=actor)
        _refresh(all_teams=True) if team_id is None else _refresh(team_id=team_id)


# --- policies ------------------------------------------------------------------------------------
def _prepare_policy(data: Mapping[str, Any], instance: ServiceLevelPolicy | None) -> dict[str, Any]:
    values = dict(data)
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
    errors: dict[str, str] = {}

    def current(name: str) -> Any:
        return values.get(name, getattr(instance, name) if instance else None)

    if not current("name"):
        errors["name"] = _("Give the policy a name.")
    if current("priority") not in CasePriority.values:
        errors["priority"] = _("Choose a priority.")
    tier = current("tier") or ClientTier.STANDARD
    values.setdefault("tier", tier)
    if tier not in ClientTier.values:
        errors["tier"] = _("Choose a client tier.")
    first, resolution = current("first_response_hours"), current("resolution_hours")
    for name, value in (("first_response_hours", first), ("resolution_hours", resolution)):
        if value is None:
            errors[name] = _("Enter a target in business hours.")
        elif Decimal(value) < Decimal("0.25"):
            errors[name] = _("A target is at least a quarter of an hour.")
    if first is not None and resolution is not None and Decimal(resolution) < Decimal(first):
        errors["resolution_hours"] = _(
            "The resolution target cannot be shorter than the first response."
        )
    if not errors:
        clash = ServiceLevelPolicy.objects.filter(priority=current("priority"), tier=tier)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["tier"] = _("There is a policy for this priority and tier already.")
    if errors:
        raise ValidationError(errors)
    return values


def policy_create(*, actor: Any, data: Mapping[str, Any]) -> ServiceLevelPolicy:
    require_configure(actor)
    values = _prepare_policy(data, None)
    with transaction.atomic():
        policy = core.model_create(ServiceLevelPolicy, actor=actor, data=values)
        _refresh(priority=policy.priority)
    return policy


def policy_update(
    *, actor: Any, instance: ServiceLevelPolicy, data: Mapping[str, Any]
) -> ServiceLevelPolicy:
    require_configure(actor)
    old_priority = instance.priority
    values = _prepare_policy(data, instance)
    with transaction.atomic():
        policy = core.model_update(instance, actor=actor, data=values)
        _refresh(priority=policy.priority)
        if old_priority != policy.priority:
            _refresh(priority=old_priority)
    return policy


def policy_delete(*, actor: Any, instance: ServiceLevelPolicy) -> None:
    require_configure(actor)
    with transaction.atomic():
        priority = instance.priority
        core.model_delete(instance, actor=actor)
        _refresh(priority=priority)


# --- client tiers --------------------------------------------------------------------------------
def _prepare_tier(
    actor: Any, data: Mapping[str, Any], instance: OrganizationServiceTier | None
) -> dict[str, Any]:
    values = dict(data)
    errors: dict[str, str] = {}
    org = values.get("organization", instance.organization if instance else None)
    org_id = getattr(org, "pk", org)
    if org_id in (None, ""):
        errors["organization"] = _("Choose an organization.")
    else:
        orgs = (
            Organization.objects.all() if actor is None else Organization.objects.visible_to(actor)
        )
        if not orgs.filter(pk=org_id).exists():
            errors["organization"] = _("Choose an organization you may see.")
        else:
            clash = OrganizationServiceTier.objects.filter(organization_id=org_id)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["organization"] = _("This organization has a tier already.")
    tier = values.get("tier", instance.tier if instance else ClientTier.PREMIUM)
    if tier not in ClientTier.values:
        errors["tier"] = _("Choose a client tier.")
    if errors:
        raise ValidationError(errors)
    return values


def tier_create(*, actor: Any, data: Mapping[str, Any]) -> OrganizationServiceTier:
    require_configure(actor)
    values = _prepare_tier(actor, data, None)
    with transaction.atomic():
        row = core.model_create(OrganizationServiceTier, actor=actor, data=values)
        _refresh(organization_id=row.organization_id)
    return row


def tier_update(
    *, actor: Any, instance: OrganizationServiceTier, data: Mapping[str, Any]
) -> OrganizationServiceTier:
    require_configure(actor)
    old_org = instance.organization_id
    values = _prepare_tier(actor, data, instance)
    with transaction.atomic():
        row = core.model_update(instance, actor=actor, data=values)
        _refresh(organization_id=row.organization_id)
        if old_org != row.organization_id:
            _refresh(organization_id=old_org)
    return row


def tier_delete(*, actor: Any, instance: OrganizationServiceTier) -> None:
    require_configure(actor)
    with transaction.atomic():
        org_id = instance.organization_id
        core.model_delete(instance, actor=actor)
        _refresh(organization_id=org_id)


# --- categories ----------------------------------------------------------------------------------
def _prepare_category(data: Mapping[str, Any], instance: CaseCategory | None) -> dict[str, Any]:
    values = dict(data)
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
        if not values["name"]:
            raise ValidationError({"name": _("Give the category a name.")})
        clash = CaseCategory.objects.filter(name__iexact=values["name"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError({"name": _("A category of this name exists already.")})
    elif instance is None:
        raise ValidationError({"name": _("Give the category a name.")})
    return values


def category_create(*, actor: Any, data: Mapping[str, Any]) -> CaseCategory:
    require_configure(actor)
    return core.model_create(CaseCategory, actor=actor, data=_prepare_category(data, None))


def category_update(*, actor: Any, instance: CaseCategory, data: Mapping[str, Any]) -> CaseCategory:
    require_configure(actor)
    return core.model_update(instance, actor=actor, data=_prepare_category(data, instance))


def category_delete(*, actor: Any, instance: CaseCategory) -> None:
    require_configure(actor)
    core.model_delete(instance, actor=actor)


# --- defaults ------------------------------------------------------------------------------------
PRIORITY_NAMES = {"urgent": "Dringend", "high": "Hoch", "normal": "Normal", "low": "Niedrig"}
TIER_NAMES = {"standard": "Standard", "premium": "Premium", "key_account": "Key Account"}


def restore_servicedesk_defaults() -> None:
    """The company service hours, a policy per priority and tier and the usual categories, where
    missing (what migration 0002 creates; tests with flushed tables call this)."""
    with transaction.atomic():
        if not ServiceHours.objects.filter(team__isnull=True).exists():
            ServiceHours.objects.create(name="Servicezeiten Unternehmen", weekdays="0,1,2,3,4")
        for (priority, tier), (first, resolution) in DEFAULT_POLICIES.items():
            ServiceLevelPolicy.objects.get_or_create(
                priority=priority,
                tier=tier,
                defaults={
                    "name": f"{TIER_NAMES[tier]} · {PRIORITY_NAMES[priority]}",
                    "first_response_hours": Decimal(first),
                    "resolution_hours": Decimal(resolution),
                },
            )
        for order, name in enumerate(DEFAULT_CATEGORIES):
            CaseCategory.objects.get_or_create(name=name, defaults={"order": order})
