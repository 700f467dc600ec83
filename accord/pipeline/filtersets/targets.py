"""Filters of the revenue target list; the same class serves the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import ChoicesFromDatabaseMixin, RowChoiceFilter

from ..choices import PeriodKind, TargetScope
from ..models import RevenueTarget
from ..selectors.targets import period_choices


class _PeriodChoices:
    """The periods that have targets, read when the form is first shown (not at import)."""

    def __call__(self) -> list[tuple[str, str]]:
        return period_choices()

    def __deepcopy__(self, memo: dict) -> _PeriodChoices:
        return self


@extend_schema_field(OpenApiTypes.STR)
class PeriodFilter(django_filters.ChoiceFilter):
    """One period as "<kind>:<first day>", e.g. "quarter:2025-04-01"."""


class RevenueTargetFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = (
        "notes",
        "region",
        "industry",
        "team__name",
        "user__first_name",
        "user__last_name",
        "user__email",
    )
    choice_filters = {"user": "user", "team": "team"}

    period_kind = django_filters.ChoiceFilter(label=_("Period kind"), choices=PeriodKind.choices)
    period = PeriodFilter(label=_("Period"), choices=_PeriodChoices(), method="filter_period")
    scope = django_filters.ChoiceFilter(label=_("For"), choices=TargetScope.choices)
    user = RowChoiceFilter(label=pgettext_lazy("colleague", "User"), field_name="user_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="period_start__year", min_value=1900, max_value=2999
    )

    class Meta:
        model = RevenueTarget
        fields: list[str] = []

    def filter_period(self, queryset, name, value):
        kind, _sep, start = (value or "").partition(":")
        try:
            day = dt.date.fromisoformat(start)
        except ValueError:
            return queryset.none()
        return queryset.filter(Q(period_kind=kind, period_start=day))
