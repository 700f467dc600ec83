"""Filters of the quote, order, invoice, payment, recurring-order and statement lists; the same
classes serve the API. The overdue invoices are the invoice list with `overdue=true` (and
`min_days_overdue`)."""

from __future__ import annotations

from datetime import timedelta

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

from ..choices import InvoiceStatus, OrderStatus, PaymentMethod, QuoteStatus
from ..models import BankStatement, Invoice, Order, Payment, Quote, RecurringOrder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organization() -> PartyChoiceFilter:
    return PartyChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        field_name="organization",
        widget=organization_widget(),
    )


class _OwnedFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    choice_filters = {"owner": "user", "team": "team"}
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")
    currency = django_filters.CharFilter(label=_("Currency"), lookup_expr="iexact")


class QuoteFilterSet(_OwnedFilterSet):
    search_fields = ("number", "organization__name", "notes")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QuoteStatus.choices)
    organization = _organization()
    issued_after = django_filters.DateFilter(
        label=_("Issued on or after"), field_name="issued_on", lookup_expr="gte", widget=DATE
    )
    issued_before = django_filters.DateFilter(
        label=_("Issued on or before"), field_name="issued_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Quote
        fields: list[str] = []


class OrderFilterSet(_OwnedFilterSet):
    search_fields = ("number", "organization__name", "customer_reference")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    organization = _organization()
    ordered_after = django_filters.DateFilter(
        label=_("Ordered on or after"), field_name="ordered_on", lookup_expr="gte", widget=DATE
    )
    ordered_before = django_filters.DateFilter(
        label=_("Ordered on or before"), field_name="ordered_on", lookup_expr="lte", widget=DATE
    )
    recurring = django_filters.BooleanFilter(
        label=_("From a recurring order"),
        field_name="recurring",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Order
        fields: list[str] = []


class InvoiceFilterSet(_OwnedFilterSet):
    search_fields = ("number", "organization__name", "order__number")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvoiceStatus.choices)
    organization = _organization()
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    min_days_overdue = django_filters.NumberFilter(
        label=_("At least days overdue"), method="filter_min_days"
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Invoice
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        q = {"status__in": [InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID], "due_on__lt": today}
        return queryset.filter(**q) if value else queryset.exclude(**q)

    def filter_min_days(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        days = max(0, min(int(value), 36500))
        limit = timezone.localdate() - timedelta(days=days)
        return queryset.filter(
            status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID],
            due_on__lt=timezone.localdate(),
            due_on__lte=limit,
        )


class PaymentFilterSet(_OwnedFilterSet):
    search_fields = ("reference", "organization__name", "invoice__number")
    organization = _organization()
    method = django_filters.ChoiceFilter(label=_("Method"), choices=PaymentMethod.choices)
    with_credit = django_filters.BooleanFilter(label=_("With credit"), method="filter_credit")
    received_after = django_filters.DateFilter(
        label=_("Received on or after"), field_name="received_on", lookup_expr="gte", widget=DATE
    )

    class Meta:
        model = Payment
        fields: list[str] = []

    def filter_credit(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(credited_amount__gt=0) if value else queryset.filter(credited_amount=0)
        )


class RecurringOrderFilterSet(_OwnedFilterSet):
    search_fields = ("name", "organization__name", "notes")
    organization = _organization()
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = RecurringOrder
        fields: list[str] = []


class BankStatementFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("name",)
    choice_filters = {"owner": "user"}
    owner = RowChoiceFilter(label=_("Imported by"), field_name="owner_id")

    class Meta:
        model = BankStatement
        fields: list[str] = []
