"""Filters of the product list; the same class serves the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet

from ..models import Product


class ProductFilterSet(AccordFilterSet):
    search_fields = ("name", "sku", "description")

    active = django_filters.BooleanFilter(label=_("Active"))
    currency = django_filters.CharFilter(label=_("Currency"))

    class Meta:
        model = Product
        fields: list[str] = []
