"""Filters of the community lists; the same classes serve the API."""

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
from accord.parties.forms import organization_widget, person_widget
from accord.parties.models import Organization, Person

from ..choices import (
    Attitude,
    ConcernStatus,
    ConsultationKind,
    EngagementLevel,
    Salience,
    StakeholderCategory,
)
from ..models import (
    Concern,
    Consultation,
    EngagementPlan,
    StakeholderAssessment,
    StakeholderProject,
)
from ..selectors.community import overdue_q

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _project_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_visible(StakeholderProject)
    )


def _org_filter() -> PartyChoiceFilter:
    return PartyChoiceFilter(
        label=_("Organization"), queryset=_visible(Organization), widget=organization_widget()
    )


def _person_filter() -> PartyChoiceFilter:
    return PartyChoiceFilter(label=_("Person"), queryset=_visible(Person), widget=person_widget())


class _OwnerTeam(ChoicesFromDatabaseMixin, AccordFilterSet):
    choice_filters = {"owner": "user", "team": "team"}
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")


class StakeholderProjectFilterSet(_OwnerTeam):
    search_fields = ("name", "description", "location")
    active = django_filters.BooleanFilter(label=_("Active"), field_name="is_active")

    class Meta:
        model = StakeholderProject
        fields: list[str] = []


class StakeholderAssessmentFilterSet(_OwnerTeam):
    """Shows the current assessments unless `history` asks for all of them."""

    search_fields = ("organization__name", "person__last_name", "person__first_name", "note")
    history = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("all", _("Earlier assessments too"))],
        empty_label=_("Current assessments"),
        method="filter_history",
    )
    project = _project_filter()
    category = django_filters.ChoiceFilter(label=_("Category"), choices=StakeholderCategory.choices)
    attitude = django_filters.ChoiceFilter(label=_("Attitude"), choices=Attitude.choices)
    salience = django_filters.ChoiceFilter(label=_("Salience"), choices=Salience.choices)
    organization = _org_filter()
    person = _person_filter()
    assessed_after = django_filters.DateFilter(
        label=_("Assessed on or after"), field_name="assessed_on", lookup_expr="gte", widget=DATE
    )

    class Meta:
        model = StakeholderAssessment
        fields: list[str] = []

    def filter_history(self, queryset, name, value):
        return queryset  # applied in filter_queryset, so that the default applies too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("history") != "all":
            queryset = queryset.filter(is_current=True)
        return queryset


class EngagementPlanFilterSet(_OwnerTeam):
    search_fields = ("organization__name", "person__last_name", "note")
    project = _project_filter()
    current_level = django_filters.ChoiceFilter(
        label=_("Current engagement"), choices=EngagementLevel.choices
    )
    target_level = django_filters.ChoiceFilter(
        label=_("Target engagement"), choices=EngagementLevel.choices
    )
    organization = _org_filter()
    person = _person_filter()
    review_due = django_filters.BooleanFilter(
        label=_("Review due"), method="filter_review_due", widget=forms.CheckboxInput
    )

    class Meta:
        model = EngagementPlan
        fields: list[str] = []

    def filter_review_due(self, queryset, name, value):
        if value:
            return queryset.filter(next_review_on__lte=timezone.localdate())
        return queryset


class ConcernFilterSet(_OwnerTeam):
    search_fields = ("title", "description", "organization__name", "person__last_name")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ConcernStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    open = django_filters.BooleanFilter(label=_("Open"), method="filter_open")
    overdue = django_filters.BooleanFilter(label=_("Answer overdue"), method="filter_overdue")
    project = _project_filter()
    consultation = django_filters.ModelChoiceFilter(
        label=_("Raised at"), queryset=_visible(Consultation)
    )
    organization = _org_filter()
    person = _person_filter()
    received_after = django_filters.DateFilter(
        label=_("Received on or after"), field_name="received_on", lookup_expr="gte", widget=DATE
    )
    received_before = django_filters.DateFilter(
        label=_("Received on or before"), field_name="received_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Concern
        fields: list[str] = []

    def filter_open(self, queryset, name, value):
        from ..choices import OPEN_CONCERN_STATUSES

        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_CONCERN_STATUSES)
        return queryset.exclude(status__in=OPEN_CONCERN_STATUSES)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(overdue_q())
        return queryset.exclude(overdue_q())


class ConsultationFilterSet(_OwnerTeam):
    search_fields = ("title", "place", "note")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConsultationKind.choices)
    project = _project_filter()
    after = django_filters.DateFilter(
        label=_("On or after"), field_name="starts_on", lookup_expr="gte", widget=DATE
    )
    before = django_filters.DateFilter(
        label=_("On or before"), field_name="starts_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Consultation
        fields: list[str] = []
