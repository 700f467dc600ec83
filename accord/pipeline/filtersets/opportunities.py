"""Filters of the opportunity list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import (
    ChoicesFromDatabaseMixin,
    PartyChoiceFilter,
    RowChoiceFilter,
    _visible,
)
from accord.parties.forms import organization_widget
from accord.parties.models import Organization

from ..choices import StageKind
from ..models import Opportunity, Pipeline, Stage
from ..selectors.stagetimes import opportunities_in_stage_before, start_of_day


class OpportunityFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "organization__name", "next_step")
    choice_filters = {"owner": "user", "team": "team"}

    pipeline = django_filters.ModelChoiceFilter(
        label=_("Pipeline"), queryset=Pipeline.objects.all()
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.select_related("pipeline")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StageKind.choices, field_name="stage__kind"
    )
    organization = PartyChoiceFilter(
        label=_("Organization"), queryset=_visible(Organization), widget=organization_widget()
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")
    close_after = django_filters.DateFilter(
        label=_("Closing on or after"), field_name="expected_close_date", lookup_expr="gte"
    )
    close_before = django_filters.DateFilter(
        label=_("Closing on or before"), field_name="expected_close_date", lookup_expr="lte"
    )
    closed_after = django_filters.DateFilter(
        label=_("Closed on or after"), method="filter_closed_after"
    )
    in_stage_before = django_filters.DateFilter(
        label=_("In its stage since before"),
        method="filter_in_stage_before",
        help_text=_("Entered its current stage before this day (the stuck deals)."),
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def filter_closed_after(self, queryset, name, value):
        return queryset.filter(closed_at__gte=start_of_day(value))

    def filter_in_stage_before(self, queryset, name, value):
        return opportunities_in_stage_before(queryset, value)
