from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet

from .models import CatalogueItem, PortalAccount


class PortalAccountFilterSet(AccordFilterSet):
    search_fields = ("email", "person__first_name", "person__last_name", "organization__name")

    is_active = django_filters.BooleanFilter(label=_("Active"))
    accepted = django_filters.BooleanFilter(
        label=_("Invitation accepted"), field_name="accepted_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = PortalAccount
        fields = ["is_active"]


class CatalogueItemFilterSet(AccordFilterSet):
    search_fields = ("organization__name", "product__name", "product__sku")

    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = CatalogueItem
        fields = ["active"]
