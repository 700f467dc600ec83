"""The supplier ranking table (scores of one period, best first) and the criteria table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import CriterionCode, SupplierScore

ACTION_BADGES = {"block": "badge-danger", "warning": "badge-warning", "none": "badge-success"}


def number(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, digits, use_l10n=True)


def _criterion_score(record: SupplierScore, code: str):
    for c in record.criteria or []:
        if c.get("code") == code:
            return c.get("score")
    return None


class SupplierScoreTable(AccordTable):
    rank = tables.Column(verbose_name=_("Rank"), order_by=("rank", "id"))
    supplier = tables.Column(verbose_name=_("Supplier"), order_by=("supplier__name", "id"))
    period = tables.Column(
        verbose_name=_("Period"), accessor="period_start", order_by=("period_start", "id")
    )
    total = tables.Column(
        verbose_name=_("Score"), order_by=("total", "id"), attrs={"td": {"class": "num"}}
    )
    standing_label = tables.Column(verbose_name=_("Standing"), order_by=("total", "id"))
    on_time = tables.Column(
        verbose_name=CriterionCode.ON_TIME.label, accessor="pk", orderable=False
    )
    quality = tables.Column(
        verbose_name=CriterionCode.QUALITY.label, accessor="pk", orderable=False
    )
    price_variance = tables.Column(
        verbose_name=CriterionCode.PRICE_VARIANCE.label, accessor="pk", orderable=False
    )
    responsiveness = tables.Column(
        verbose_name=CriterionCode.RESPONSIVENESS.label, accessor="pk", orderable=False
    )
    open_issues = tables.Column(
        verbose_name=CriterionCode.OPEN_ISSUES.label, accessor="pk", orderable=False
    )

    class Meta(AccordTable.Meta):
        model = SupplierScore
        fields = (
            "rank",
            "supplier",
            "period",
            "total",
            "standing_label",
            "on_time",
            "quality",
            "price_variance",
            "responsiveness",
            "open_issues",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _(
            "No scores for this choice. Scores are computed every few hours from orders, "
            "deliveries and mails; an administrator can recompute them now."
        )

    def render_rank(self, record):
        return getattr(record, "rank", None) or "—"

    def value_rank(self, record):
        return getattr(record, "rank", None)

    def render_supplier(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.supplier.name)

    def value_supplier(self, record):
        return record.supplier.name

    def render_period(self, record):
        return record.period_label

    def value_period(self, record):
        return record.period_label

    def render_total(self, record):
        return number(record.total)

    def value_total(self, record):
        return record.total

    def render_standing_label(self, record):
        if not record.standing_label:
            return "—"
        badge = ACTION_BADGES.get(record.standing_action, "badge-muted")
        return format_html('<span class="badge {}">{}</span>', badge, record.standing_label)

    def value_standing_label(self, record):
        return record.standing_label


def _make(code: str):
    def render(self, record):
        return number(_criterion_score(record, code))

    def value(self, record):
        return _criterion_score(record, code)

    return render, value


for _code in CriterionCode.values:
    _render, _value = _make(_code)
    setattr(SupplierScoreTable, f"render_{_code}", _render)
    setattr(SupplierScoreTable, f"value_{_code}", _value)
