"""Filters of the purchase order list; the same class serves the API."""

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

from ..models import Delivery, PurchaseOrder, PurchaseOrderStatus, SupplyCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PurchaseOrderFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("number", "external_id", "supplier__name", "note")
    choice_filters = {"owner": "user", "team": "team"}

    status = django_filters.ChoiceFilter(label=_("Status"), choices=PurchaseOrderStatus.choices)
    supplier = PartyChoiceFilter(
        label=_("Supplier"), queryset=_visible(Organization), widget=organization_widget()
    )
    business_unit = PartyChoiceFilter(
        label=_("Business unit"), queryset=_visible(Organization), widget=organization_widget()
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=SupplyCategory.objects.order_by("name"),
        field_name="lines__category",
        distinct=True,
    )
    ordered_after = django_filters.DateFilter(
        label=_("Ordered on or after"), field_name="ordered_on", lookup_expr="gte", widget=DATE
    )
    ordered_before = django_filters.DateFilter(
        label=_("Ordered on or before"), field_name="ordered_on", lookup_expr="lte", widget=DATE
    )
    over_delivered = django_filters.BooleanFilter(
        label=_("With an over-delivery"), method="filter_over_delivered"
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = PurchaseOrder
        fields: list[str] = []

    def filter_over_delivered(self, queryset, name, value):
        if value is None:
            return queryset
        flagged = Delivery.objects.filter(lines__is_over_delivery=True).values("order_id")
        return queryset.filter(pk__in=flagged) if value else queryset.exclude(pk__in=flagged)


class DeliveryFilterSet(AccordFilterSet):
    search_fields = ("delivery_note_number", "note", "order__number")
    order = django_filters.NumberFilter(label=_("Order"), field_name="order_id")
    delivered_after = django_filters.DateFilter(
        label=_("Delivered on or after"), field_name="delivered_on", lookup_expr="gte"
    )
    delivered_before = django_filters.DateFilter(
        label=_("Delivered on or before"), field_name="delivered_on", lookup_expr="lte"
    )

    class Meta:
        model = Delivery
        fields: list[str] = []
