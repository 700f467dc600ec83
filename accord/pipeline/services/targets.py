"""Revenue targets: set by managers and administrators, one per scope and period.

Rules (each refused with a message naming the field):

* only admins and managers create, change or delete targets (others: PermissionDenied);
* `period_start` is the first day of its period (1st of the month; 1 January, April, July or
  October for a quarter; 1 January for a year). Another date is refused, not moved silently,
  and the message names the period start the user probably meant;
* the scope names exactly what it needs: a user for a user's target, a team for a team's, an
  industry, a region; nothing for the company's (and nothing else for the others);
* the amount is not below zero;
* one target per scope and period (kind and start).

`scope_key` ("company", "user:7", "team:3", "industry:it", "region:Bayern") is filled here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.intelligence.engine import periods

from ..choices import PeriodKind, TargetScope
from ..models import RevenueTarget
from ..selectors.targets import Scope, may_manage_targets, period_label

FIELDS = (
    "period_kind",
    "period_start",
    "scope",
    "user",
    "team",
    "industry",
    "region",
    "amount",
    "currency",
    "notes",
)
# the field a scope needs, and its message when missing
SCOPE_FIELDS: dict[str, str] = {
    TargetScope.USER: "user",
    TargetScope.TEAM: "team",
    TargetScope.INDUSTRY: "industry",
    TargetScope.REGION: "region",
}


def require_target_manager(actor: Any) -> None:
    """Refuse anyone but managers and administrators (pages ask before showing a form)."""
    if actor is not None and not may_manage_targets(actor):
        raise PermissionDenied(_("Only managers and administrators set revenue targets."))


def _missing_message(scope: str) -> str:
    messages: dict[str, str] = {
        TargetScope.USER: _("Choose the user whose target this is."),
        TargetScope.TEAM: _("Choose the team whose target this is."),
        TargetScope.INDUSTRY: _("Choose the industry this target is for."),
        TargetScope.REGION: _("Enter the region this target is for."),
    }
    return messages[scope]


def _is_set(value: Any) -> bool:
    return value not in (None, "")


def validate_target(values: dict[str, Any], instance: RevenueTarget | None = None) -> None:
    """The rules of the module docstring on the target's (future) state; fills `scope_key`."""
    errors: dict[str, str] = {}
    kind = values.get("period_kind") or ""
    if kind not in PeriodKind.values:
        errors["period_kind"] = _("Choose month, quarter or year.")
    start = values.get("period_start")
    if not isinstance(start, dt.date):
        errors["period_start"] = _("Enter the first day of the period.")
    elif kind in PeriodKind.values and not periods.is_period_start(kind, start):
        meant = periods.period_start(kind, start)
        message = {
            PeriodKind.MONTH: _(
                "The period start must be the first day of a month; %(date)s is not. "
                "Did you mean %(meant)s?"
            ),
            PeriodKind.QUARTER: _(
                "The period start must be the first day of a quarter; %(date)s is not. "
                "Did you mean %(meant)s?"
            ),
            PeriodKind.YEAR: _(
                "The period start must be the first day of a year; %(date)s is not. "
                "Did you mean %(meant)s?"
            ),
        }[PeriodKind(kind)]
        errors["period_start"] = message % {
            "date": formats.date_format(start, "SHORT_DATE_FORMAT"),
            "meant": formats.date_format(meant, "SHORT_DATE_FORMAT"),
        }

    scope = values.get("scope") or ""
    if scope not in TargetScope.values:
        errors["scope"] = _("Choose whose target this is.")
    else:
        needed = SCOPE_FIELDS.get(scope)
        for name in SCOPE_FIELDS.values():
            if name == needed and not _is_set(values.get(name)):
                errors[name] = _missing_message(scope)
            elif name != needed and _is_set(values.get(name)):
                errors[name] = _("A target for “%(scope)s” has no %(field)s; leave it empty.") % {
                    "scope": TargetScope(scope).label,
                    "field": getattr(RevenueTarget._meta.get_field(name), "verbose_name", name),
                }

    amount = values.get("amount")
    try:
        amount = Decimal(str(amount)) if _is_set(amount) else None
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if amount is None:
        errors["amount"] = _("Enter the target amount.")
    elif amount.is_nan():
        errors["amount"] = _("Enter the target amount as a number.")
    elif amount < 0:
        errors["amount"] = _("The target amount cannot be below zero.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(start, dt.date)  # refused above otherwise

    user, team = values.get("user"), values.get("team")
    key = Scope(
        kind=scope,
        user_id=getattr(user, "pk", user),
        team_id=getattr(team, "pk", team),
        industry=values.get("industry") or "",
        region=values.get("region") or "",
    ).key
    values["scope_key"] = key
    clash = RevenueTarget.objects.filter(period_kind=kind, period_start=start, scope_key=key)
    if instance is not None and instance.pk is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError(
            {
                "period_start": _(
                    "There is already a target for %(scope)s in %(period)s; change that one "
                    "instead."
                )
                % {"scope": _scope_text(values), "period": period_label(kind, start)}
            }
        )


def _scope_text(values: Mapping[str, Any]) -> str:
    scope = str(values.get("scope") or "")
    details: dict[str, Any] = {
        TargetScope.USER: values.get("user"),
        TargetScope.TEAM: values.get("team"),
        TargetScope.INDUSTRY: values.get("industry"),
        TargetScope.REGION: values.get("region"),
    }
    detail = details.get(scope)
    label = str(TargetScope(scope).label) if scope in TargetScope.values else ""
    return f"{label} {detail}" if detail else label


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in FIELDS}
    if isinstance(values.get("region"), str):
        values["region"] = values["region"].strip()
    for name in ("industry", "region", "notes"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


def revenue_target_create(*, actor: Any, data: Mapping[str, Any]) -> RevenueTarget:
    require_target_manager(actor)
    values = _clean(data)
    values.setdefault("period_kind", PeriodKind.QUARTER)
    values.setdefault("scope", TargetScope.COMPANY)
    for name in ("industry", "region"):
        values.setdefault(name, "")
    with transaction.atomic():
        validate_target(values)
        return core.model_create(RevenueTarget, actor=actor, data=values)


def revenue_target_update(
    *, actor: Any, instance: RevenueTarget, data: Mapping[str, Any]
) -> RevenueTarget:
    require_target_manager(actor)
    values = _clean(data)
    merged: dict[str, Any] = {name: getattr(instance, name) for name in FIELDS}
    merged.update(values)
    with transaction.atomic():
        validate_target(merged, instance)
        changes = {k: v for k, v in merged.items() if k in values or k == "scope_key"}
        # a scope change empties the fields the new scope does not use
        for name in SCOPE_FIELDS.values():
            if not _is_set(merged.get(name)):
                changes[name] = None if name in ("user", "team") else ""
        return core.model_update(instance, actor=actor, data=changes)


def revenue_target_delete(*, actor: Any, instance: RevenueTarget) -> None:
    require_target_manager(actor)
    core.model_delete(instance, actor=actor)
