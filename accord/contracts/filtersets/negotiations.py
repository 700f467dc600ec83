"""Filters of the negotiation list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django import forms
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

from ..models import Negotiation, NegotiationKind, NegotiationStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NegotiationFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "goal", "outcome_reason", "counterparty__name")
    choice_filters = {"owner": "user", "team": "team"}

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NegotiationKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NegotiationStatus.choices)
    counterparty = PartyChoiceFilter(
        label=_("Counterparty"),
        queryset=_visible(Organization),
        field_name="counterparty",
        widget=organization_widget(),
    )
    opportunity = django_filters.NumberFilter(
        label=_("Opportunity (id)"), field_name="opportunity_id", widget=forms.HiddenInput
    )
    contract = django_filters.NumberFilter(
        label=_("Contract (id)"), field_name="contract_id", widget=forms.HiddenInput
    )
    started_after = django_filters.DateFilter(
        label=_("Started on or after"), field_name="started_on", lookup_expr="gte", widget=DATE
    )
    started_before = django_filters.DateFilter(
        label=_("Started on or before"), field_name="started_on", lookup_expr="lte", widget=DATE
    )
    owner = RowChoiceFilter(label=_("Negotiator"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = Negotiation
        fields: list[str] = []
