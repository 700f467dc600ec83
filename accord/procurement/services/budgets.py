"""Budgets per business unit, cost category and period, and the alerts on their spend.

Rules (each refused with a message naming the field):

* the business unit is an organization with the internal role that the actor may see;
* the cost category is a supply category;
* `period_start` is the first day of its period (month, quarter, year); another date is
  refused, not moved, and the message names the date probably meant;
* the amount is not below zero; the currency a three-letter code;
* one budget per business unit, category and period.

Alerts (`budget_alerts`, run by a periodic job): the owner of a budget of a running period hears
once when its forecast exceeds the budget, once when the spend reaches 90 % and once at 100 %
(`accord.core.notifications.notify`, one key per budget, period and threshold).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.core.notifications import notify
from accord.intelligence.engine import periods

from ..models import Budget, BudgetPeriod
from ..selectors import budgets as selectors

FIELDS = (
    "business_unit",
    "category",
    "period_kind",
    "period_start",
    "amount",
    "currency",
    "notes",
    "owner",
    "team",
)


def _date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _validate(actor: Any, values: dict[str, Any], instance: Budget | None) -> None:
    errors: dict[str, str] = {}
    unit = values.get("business_unit")
    if unit is None:
        errors["business_unit"] = _("Choose the business unit.")
    elif instance is None or unit.pk != instance.business_unit_id:
        if not unit.is_internal:
            errors["business_unit"] = _(
                "“%(org)s” is no internal business unit: give it that role first."
            ) % {"org": unit}
        elif actor is not None and not visibility.can_view(actor, unit):
            errors["business_unit"] = _("You may choose only organizations you can see.")
    if values.get("category") is None:
        errors["category"] = _("Choose the cost category.")
    kind = values.get("period_kind") or ""
    start = values.get("period_start")
    if kind not in BudgetPeriod.values:
        errors["period_kind"] = _("Choose month, quarter or year.")
    elif not isinstance(start, dt.date):
        errors["period_start"] = _("Enter the first day of the period.")
    elif not periods.is_period_start(kind, start):
        meant = periods.period_start(kind, start)
        message = {
            BudgetPeriod.MONTH: _(
                "The period start must be the first day of a month; %(date)s is not. "
                "Did you mean %(meant)s?"
            ),
            BudgetPeriod.QUARTER: _(
                "The period start must be the first day of a quarter; %(date)s is not. "
                "Did you mean %(meant)s?"
            ),
            BudgetPeriod.YEAR: _(
                "The period start must be the first day of a year; %(date)s is not. "
                "Did you mean %(meant)s?"
            ),
        }[BudgetPeriod(kind)]
        errors["period_start"] = message % {"date": _date(start), "meant": _date(meant)}
    amount = values.get("amount")
    try:
        amount = Decimal(str(amount)) if amount not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if amount is None:
        errors["amount"] = _("Enter the amount.")
    elif amount.is_nan():
        errors["amount"] = _("Enter the amount as a number.")
    elif amount < 0:
        errors["amount"] = _("A budget cannot be below zero.")
    else:
        values["amount"] = amount
    if errors:
        raise ValidationError(errors)
    values["currency"] = str(values.get("currency") or "EUR").strip().upper()
    assert start is not None  # checked above: a missing start is an error
    values["period_end"] = periods.period_end(kind, start)
    clash = Budget.objects.filter(
        business_unit=unit, category=values["category"], period_kind=kind, period_start=start
    )
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError(
            {
                "period_start": _(
                    "%(unit)s already has a budget for %(category)s in %(period)s; change that "
                    "one instead."
                )
                % {
                    "unit": unit,
                    "category": values["category"],
                    "period": periods.period_label(kind, start),
                }
            }
        )


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in FIELDS}
    if "notes" in values:
        values["notes"] = str(values["notes"] or "").strip()
    return values


def budget_create(*, actor: Any, data: Mapping[str, Any]) -> Budget:
    core.require_write(actor)
    values = _clean(data)
    values.setdefault("period_kind", BudgetPeriod.QUARTER)
    with transaction.atomic():
        _validate(actor, values, None)
        return core.model_create(Budget, actor=actor, data=values)


def budget_update(*, actor: Any, instance: Budget, data: Mapping[str, Any]) -> Budget:
    core.require_change(actor, instance)
    values = _clean(data)
    merged = {name: getattr(instance, name) for name in FIELDS if name not in ("owner", "team")}
    merged.update(values)
    with transaction.atomic():
        _validate(actor, merged, instance)
        values["period_end"] = merged["period_end"]
        for key in ("amount", "currency"):
            if key in values:
                values[key] = merged[key]
        return core.model_update(instance, actor=actor, data=values)


def budget_delete(*, actor: Any, instance: Budget) -> None:
    core.model_delete(instance, actor=actor)


# --- alerts ----------------------------------------------------------------------------------
def _money(value: Decimal, currency: str) -> str:
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} {currency}"


def budget_alerts(*, today: dt.date | None = None) -> int:
    """Tell the owners of the running budgets whose forecast exceeds them or whose spend reached
    90 % or 100 %; each once per budget, period and threshold. Returns the notifications sent."""
    today = today or timezone.localdate()
    sent = 0
    for budget in selectors.budgets_to_check(today):
        if budget.owner is None:
            continue
        status = selectors.budget_status(budget, today=today)
        values = {
            "budget": str(budget),
            "actual": _money(status.actual, budget.currency),
            "amount": _money(budget.amount, budget.currency),
            "forecast": _money(status.forecast, budget.currency),
            "percent": f"{status.used_percent or 0:.0f}",
        }
        key = f"budget:{budget.pk}:{budget.period_start:%Y-%m-%d}"
        alerts = []
        if status.over_budget:
            alerts.append(
                (
                    "100",
                    _("Budget used up: %(budget)s") % values,
                    _("Spent %(actual)s of %(amount)s (%(percent)s %%).") % values,
                )
            )
        elif status.over_warning:
            alerts.append(
                (
                    "90",
                    _("Budget 90 %% used: %(budget)s") % values,
                    _("Spent %(actual)s of %(amount)s (%(percent)s %%).") % values,
                )
            )
        if status.forecast_over and not status.over_budget:
            alerts.append(
                (
                    "forecast",
                    _("Budget will be exceeded: %(budget)s") % values,
                    _(
                        "At the current rate the spend reaches %(forecast)s by the end of the "
                        "period, above the budget of %(amount)s (spent so far: %(actual)s)."
                    )
                    % values,
                )
            )
        for suffix, title, body in alerts:
            note = notify(
                budget.owner,
                key=f"{key}:{suffix}",
                title=str(title),
                body=str(body),
                url=budget.get_absolute_url(),
                kind="budget",
                due_on=budget.period_end,
            )
            sent += note is not None
    return sent
