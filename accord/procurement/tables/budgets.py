"""The budget list: amount, spend, % used, forecast to the period's end, remaining, flags."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import Budget
from ..selectors.budgets import BudgetStatus, budget_status


def money(value) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


class BudgetTable(AccordTable):
    business_unit = tables.Column(
        verbose_name=_("Business unit"), order_by=("business_unit__name", "id"), linkify=False
    )
    category = tables.Column(verbose_name=_("Cost category"), order_by=("category__name", "id"))
    period = tables.Column(
        verbose_name=_("Period"), accessor="period_start", order_by=("period_start", "id")
    )
    amount = tables.Column(
        verbose_name=_("Budget"), order_by=("amount", "id"), attrs={"td": {"class": "num"}}
    )
    actual = tables.Column(
        verbose_name=_("Spent"), order_by=("actual", "id"), attrs={"td": {"class": "num"}}
    )
    used = tables.Column(
        verbose_name=_("% used"), accessor="pk", orderable=False, attrs={"td": {"class": "num"}}
    )
    forecast = tables.Column(
        verbose_name=_("Forecast"), accessor="pk", orderable=False, attrs={"td": {"class": "num"}}
    )
    remaining = tables.Column(
        verbose_name=_("Remaining"), accessor="pk", orderable=False, attrs={"td": {"class": "num"}}
    )
    flag = tables.Column(verbose_name=_("Alert"), accessor="pk", orderable=False)
    currency = tables.Column(verbose_name=_("Currency"), order_by=("currency", "id"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Budget
        fields = (
            "business_unit",
            "category",
            "period",
            "amount",
            "actual",
            "used",
            "forecast",
            "remaining",
            "flag",
            "currency",
            "owner",
        )
        row_attrs = {
            "data-href": lambda record: record.get_absolute_url(),
            "data-flagged": lambda record: "true" if _status(record).flagged else "false",
        }
        empty_text = _("No budgets yet. Plan what each business unit may spend per category.")

    def render_business_unit(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.business_unit)

    def value_business_unit(self, record):
        return str(record.business_unit)

    def render_period(self, record):
        return record.period_label

    def value_period(self, record):
        return record.period_label

    def render_amount(self, record):
        return money(record.amount)

    def value_amount(self, record):
        return record.amount

    def render_actual(self, record):
        return money(_status(record).actual)

    def value_actual(self, record):
        return _status(record).actual

    def render_used(self, record):
        used = _status(record).used_percent
        return "—" if used is None else f"{formats.number_format(used, 0, use_l10n=True)} %"

    def value_used(self, record):
        used = _status(record).used_percent
        return None if used is None else round(used, 1)

    def render_forecast(self, record):
        return money(_status(record).forecast)

    def value_forecast(self, record):
        return _status(record).forecast

    def render_remaining(self, record):
        return money(_status(record).remaining)

    def value_remaining(self, record):
        return _status(record).remaining

    def render_flag(self, record):
        text = flag_text(_status(record))
        if not text:
            return "—"
        badge = "badge-danger" if _status(record).over_budget else "badge-warning"
        return format_html('<span class="badge {}">{}</span>', badge, text)

    def value_flag(self, record):
        return flag_text(_status(record))


def _status(record: Budget) -> BudgetStatus:
    cached = getattr(record, "_status", None)
    if cached is None:
        cached = budget_status(record)
        record._status = cached  # type: ignore[attr-defined]
    return cached


def flag_text(status: BudgetStatus) -> str:
    parts = []
    if status.over_budget:
        parts.append(_g("over budget"))
    elif status.over_warning:
        parts.append(_g("90 % used"))
    if status.forecast_over and not status.over_budget:
        parts.append(_g("forecast over budget"))
    return ", ".join(parts)
