"""Filters of the supplier ranking list (scores); the same class serves the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accord.core.filters import AccordFilterSet
from accord.intelligence.engine import periods

from ..models import ScorePeriod, StandingAction, SupplierScore, SupplyCategory


def parse_period(value: str) -> tuple[str, dt.date] | None:
    """ "quarter:2026-07-01" → ("quarter", 2026-07-01); None when it is no period start."""
    kind, _sep, day = (value or "").partition(":")
    if kind not in ScorePeriod.values:
        return None
    try:
        start = dt.date.fromisoformat(day)
    except ValueError:
        return None
    return (kind, start) if periods.is_period_start(kind, start) else None


@extend_schema_field(OpenApiTypes.STR)
class PeriodFilter(django_filters.CharFilter):
    """A period as "quarter:2026-07-01" or "month:2026-11-01"."""


class SupplierScoreFilterSet(AccordFilterSet):
    search_fields = ("supplier__name",)

    period = PeriodFilter(
        label=_("Period"),
        method="filter_period",
        help_text=_("“quarter:2026-07-01” or “month:2026-11-01”."),
    )
    period_kind = django_filters.ChoiceFilter(label=_("Per"), choices=ScorePeriod.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=SupplyCategory.objects.order_by("name"),
        field_name="supplier__supplier_profile__categories",
    )
    standing_action = django_filters.ChoiceFilter(
        label=_("On new orders"), choices=StandingAction.choices
    )
    min_score = django_filters.NumberFilter(
        label=_("Score at least"), field_name="total", lookup_expr="gte"
    )
    max_score = django_filters.NumberFilter(
        label=_("Score below"), field_name="total", lookup_expr="lt"
    )
    supplier = django_filters.NumberFilter(label=_("Supplier (id)"), field_name="supplier_id")

    class Meta:
        model = SupplierScore
        fields: list[str] = []

    def filter_period(self, queryset, name, value):
        parsed = parse_period(value)
        if parsed is None:
            return queryset.none() if value else queryset
        return queryset.filter(period_kind=parsed[0], period_start=parsed[1])
