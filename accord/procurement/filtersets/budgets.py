"""Filters of the budget list; the same class serves the API."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import ChoicesFromDatabaseMixin, RowChoiceFilter
from accord.parties.models import Organization

from ..models import Budget, BudgetPeriod, SupplyCategory

USED_CHOICES = [
    ("90", _("90 % or more used")),
    ("100", _("Over budget")),
    ("under", _("Under 90 % used")),
]


class BudgetFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("business_unit__name", "category__name", "notes")
    choice_filters = {"owner": "user", "team": "team"}

    business_unit = django_filters.ModelChoiceFilter(
        label=_("Business unit"),
        queryset=lambda request: Organization.objects.visible_to(
            getattr(request, "user", None)
        ).filter(is_internal=True),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Cost category"), queryset=SupplyCategory.objects.order_by("name")
    )
    period_kind = django_filters.ChoiceFilter(label=_("Period"), choices=BudgetPeriod.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="period_start__year")
    running_on = django_filters.DateFilter(
        label=_("Running on"), method="filter_running_on", help_text=_("YYYY-MM-DD")
    )
    used = django_filters.ChoiceFilter(label=_("Spend"), choices=USED_CHOICES, method="filter_used")
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = Budget
        fields: list[str] = []

    def filter_running_on(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)

    def filter_used(self, queryset, name, value):
        # `actual` is annotated by the selector
        if value == "100":
            return queryset.filter(
                Q(amount__gt=0, actual__gte=F("amount")) | Q(amount=0, actual__gt=0)
            )
        if value == "90":
            return queryset.filter(
                Q(actual__gte=F("amount") * Decimal("0.9")) & (Q(amount__gt=0) | Q(actual__gt=0))
            )
        if value == "under":
            return queryset.filter(actual__lt=F("amount") * Decimal("0.9"))
        return queryset
