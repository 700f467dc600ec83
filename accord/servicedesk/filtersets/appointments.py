"""Filters of the appointment list and calendar and of the schedule list; the same classes serve
the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import (
    ChoicesFromDatabaseMixin,
    PartyChoiceFilter,
    RowChoiceFilter,
    _visible,
)
from accord.parties.forms import organization_widget
from accord.parties.models import Organization

from ..models import AppointmentKind, AppointmentStatus, ServiceAppointment, ServiceSchedule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@extend_schema_field(OpenApiTypes.INT)
class ScheduleChoiceFilter(django_filters.ModelChoiceFilter):
    """A schedule by id."""


class AppointmentFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "location", "organization__name")
    choice_filters = {"owner": "user", "team": "team"}

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AppointmentKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AppointmentStatus.choices)
    organization = PartyChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        field_name="organization",
        widget=organization_widget(),
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")
    mine = django_filters.BooleanFilter(
        label=_("Mine (owner or staff)"), method="filter_mine", widget=forms.CheckboxInput
    )
    starts_after = django_filters.DateFilter(
        label=_("Starts on or after"), field_name="starts_at", lookup_expr="date__gte", widget=DATE
    )
    starts_before = django_filters.DateFilter(
        label=_("Starts on or before"), field_name="starts_at", lookup_expr="date__lte", widget=DATE
    )
    schedule = ScheduleChoiceFilter(
        label=_("Schedule (number)"),
        queryset=_visible(ServiceSchedule),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )

    class Meta:
        model = ServiceAppointment
        fields: list[str] = []

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        staffed = ServiceAppointment.staff.through.objects.filter(user=user).values(
            "serviceappointment_id"
        )
        return queryset.filter(Q(owner=user) | Q(pk__in=staffed))


class CalendarFilterSet(AppointmentFilterSet):
    """The calendar's filters: the dates come from the month or week shown."""

    class Meta:
        model = ServiceAppointment
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_after", "starts_before", "schedule"):
            self.filters.pop(name, None)


class ScheduleFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "organization__name", "location")
    choice_filters = {"owner": "user", "team": "team"}

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AppointmentKind.choices)
    organization = PartyChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        field_name="organization",
        widget=organization_widget(),
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = ServiceSchedule
        fields: list[str] = []
