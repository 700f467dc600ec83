"""Filters of the unit request list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import ChoicesFromDatabaseMixin, PartyChoiceFilter, RowChoiceFilter
from accord.parties.models import Organization

from ..models import UNIT_REQUEST_OPEN_STATUSES, UnitRequest, UnitRequestStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units(request):
    return Organization.objects.visible_to(getattr(request, "user", None)).filter(is_internal=True)


class UnitRequestFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "description")
    choice_filters = {"owner": "user", "team": "team"}

    status = django_filters.ChoiceFilter(label=_("Status"), choices=UnitRequestStatus.choices)
    requester = PartyChoiceFilter(
        label=_("Requesting unit"), queryset=_units, field_name="requester"
    )
    server = PartyChoiceFilter(label=_("Serving unit"), queryset=_units, field_name="server")
    unit = PartyChoiceFilter(label=_("Unit (either side)"), queryset=_units, method="filter_unit")
    open = django_filters.BooleanFilter(label=_("Open"), method="filter_open")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    due_after = django_filters.DateFilter(
        label=_("Due on or after"), field_name="due_on", lookup_expr="gte", widget=DATE
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_on", lookup_expr="lte", widget=DATE
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = UnitRequest
        fields: list[str] = []

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(requester=value) | queryset.filter(server=value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=UNIT_REQUEST_OPEN_STATUSES)
        return queryset.exclude(status__in=UNIT_REQUEST_OPEN_STATUSES)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = queryset.filter(
            status__in=UNIT_REQUEST_OPEN_STATUSES, due_on__lt=timezone.localdate()
        )
        return late if value else queryset.exclude(pk__in=late.values("pk"))
