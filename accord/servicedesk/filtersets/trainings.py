"""Filters of the training list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import PartyChoiceFilter, _visible
from accord.parties.forms import organization_widget
from accord.parties.models import Organization

from ..models import AppointmentStatus, Training

WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]


class TrainingFilterSet(AccordFilterSet):
    search_fields = ("topic", "appointment__title", "appointment__organization__name")

    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN_CHOICES, method="filter_when")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AppointmentStatus.choices, field_name="appointment__status"
    )
    organization = PartyChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        field_name="appointment__organization",
        widget=organization_widget(),
    )
    topic = django_filters.CharFilter(
        label=_("Topic"),
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Training
        fields: list[str] = []

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(appointment__ends_at__gte=now)
        if value == "past":
            return queryset.filter(appointment__ends_at__lt=now)
        return queryset
