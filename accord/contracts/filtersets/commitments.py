"""Filters of the commitments ledger; the same class serves the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import (
    ChoicesFromDatabaseMixin,
    PartyChoiceFilter,
    RowChoiceFilter,
    _visible,
)
from accord.parties.forms import organization_widget, person_widget
from accord.parties.models import Organization, Person

from ..models.commitments import Commitment, CommitmentKind, CommitmentSide, CommitmentStatus
from ..selectors.commitments import overdue_q


class CommitmentFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "description", "source")
    choice_filters = {"owner": "user", "team": "team"}

    side = django_filters.ChoiceFilter(label=_("Side"), choices=CommitmentSide.choices)
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=CommitmentStatus.choices
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CommitmentKind.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    open = django_filters.BooleanFilter(label=_("Open or in progress"), method="filter_open")
    counterparty = PartyChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        method="filter_counterparty",
        widget=organization_widget(),
    )
    person = PartyChoiceFilter(
        label=_("Person"), queryset=_visible(Person), field_name="person", widget=person_widget()
    )
    contract = django_filters.NumberFilter(label=_("Contract id"), field_name="contract_id")
    standalone = django_filters.BooleanFilter(
        label=_("Standalone (no contract)"), field_name="contract", lookup_expr="isnull"
    )
    due_after = django_filters.DateFilter(
        label=_("Due on or after"), field_name="due_date", lookup_expr="gte"
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_date", lookup_expr="lte"
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        from ..models.commitments import OPEN_STATUSES

        q = Q(status__in=OPEN_STATUSES)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_counterparty(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(organization=value) | Q(contract__counterparty=value))
