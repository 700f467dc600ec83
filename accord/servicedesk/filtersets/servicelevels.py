"""Filters of the service-level configuration lists (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet

from ..models import (
    CaseCategory,
    CasePriority,
    ClientTier,
    OrganizationServiceTier,
    ServiceHours,
    ServiceLevelPolicy,
)


class ServiceHoursFilterSet(AccordFilterSet):
    search_fields = ("name", "team__name")

    class Meta:
        model = ServiceHours
        fields: list[str] = []


class ServiceLevelPolicyFilterSet(AccordFilterSet):
    search_fields = ("name",)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=CasePriority.choices)
    tier = django_filters.ChoiceFilter(label=_("Client tier"), choices=ClientTier.choices)

    class Meta:
        model = ServiceLevelPolicy
        fields: list[str] = []


class OrganizationServiceTierFilterSet(AccordFilterSet):
    search_fields = ("organization__name", "note")
    tier = django_filters.ChoiceFilter(label=_("Client tier"), choices=ClientTier.choices)

    class Meta:
        model = OrganizationServiceTier
        fields: list[str] = []


class CaseCategoryFilterSet(AccordFilterSet):
    search_fields = ("name",)
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = CaseCategory
        fields: list[str] = []
