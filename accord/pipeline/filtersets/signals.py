"""Filters of the market signal list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accord.core.filters import AccordFilterSet
from accord.parties.choices import Industry
from accord.parties.filtersets import (
    ChoicesFromDatabaseMixin,
    PartyChoiceFilter,
    RowChoiceFilter,
    _visible,
)
from accord.parties.forms import organization_widget, person_widget
from accord.parties.models import Organization, Person

from ..choices import SignalDirection, SignalKind
from ..models import MarketSignal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@extend_schema_field(OpenApiTypes.STR)
class TopicFilter(django_filters.CharFilter):
    """A topic, whatever its case; the page offers the topics in use as suggestions."""


class MarketSignalFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "topic", "note")
    choice_filters = {"owner": "user", "team": "team"}

    topic = TopicFilter(
        label=_("Topic"),
        field_name="topic",
        lookup_expr="iexact",
        # the list page renders the <datalist> of the topics in use
        widget=forms.TextInput(attrs={"list": "signal-topics", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SignalKind.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=SignalDirection.choices)
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=Industry.choices)
    organization = PartyChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        field_name="organizations",
        widget=organization_widget(),
    )
    person = PartyChoiceFilter(
        label=_("Person"),
        queryset=_visible(Person),
        field_name="people",
        widget=person_widget(),
    )
    observed_after = django_filters.DateFilter(
        label=_("Observed on or after"), field_name="observed_on", lookup_expr="gte", widget=DATE
    )
    observed_before = django_filters.DateFilter(
        label=_("Observed on or before"), field_name="observed_on", lookup_expr="lte", widget=DATE
    )
    turned = django_filters.BooleanFilter(
        label=_("Turned into an opportunity"),
        field_name="opportunity",
        lookup_expr="isnull",
        exclude=True,
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = MarketSignal
        fields: list[str] = []
