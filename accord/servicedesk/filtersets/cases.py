"""Filters of the case list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
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

from ..models import OPEN_STATUSES, Case, CaseCategory, CasePriority, CaseStatus
from ..selectors.cases import at_risk_q, breached_q

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SLA_CHOICES = [
    ("breached", _("Target missed")),
    ("at_risk", _("At risk")),
    ("open", _("Open (new, open, waiting)")),
]


class CaseFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("number", "subject", "organization__name")
    choice_filters = {"owner": "user", "team": "team"}

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=CaseStatus.choices,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=CasePriority.choices)
    sla = django_filters.ChoiceFilter(
        label=_("Service level"), choices=SLA_CHOICES, method="filter_sla"
    )
    organization = PartyChoiceFilter(
        label=_("Organization"), queryset=_visible(Organization), widget=organization_widget()
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=CaseCategory.objects.order_by("order", "name")
    )
    opened_after = django_filters.DateFilter(
        label=_("Opened on or after"), field_name="opened_at", lookup_expr="date__gte", widget=DATE
    )
    opened_before = django_filters.DateFilter(
        label=_("Opened on or before"), field_name="opened_at", lookup_expr="date__lte", widget=DATE
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_sla(self, queryset, name, value):
        now = timezone.now()
        if value == "breached":
            return queryset.filter(breached_q(now))
        if value == "at_risk":
            return queryset.filter(at_risk_q(now)).exclude(breached_q(now))
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset
