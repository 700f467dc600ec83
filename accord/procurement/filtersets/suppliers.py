"""Filters of the supplier profile, category and question lists; the same classes serve the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import ChoicesFromDatabaseMixin, RowChoiceFilter

from ..models import (
    KraljicClass,
    QualificationQuestion,
    QualificationStatus,
    SupplierDocument,
    SupplierDocumentKind,
    SupplierProfile,
    SupplyCategory,
)
from ..selectors import suppliers as selectors

DOCUMENT_STATES = [
    ("expired", _("With an expired document")),
    ("expiring", _("With a document expiring within 60 days")),
]


class SupplierProfileFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("organization__name", "organization__vat_id", "notes")
    choice_filters = {"owner": "user", "team": "team"}

    kraljic_class = django_filters.ChoiceFilter(
        label=_("Kraljic class"), choices=KraljicClass.choices
    )
    qualification_status = django_filters.ChoiceFilter(
        label=_("Qualification"), choices=QualificationStatus.choices
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="categories",
        queryset=SupplyCategory.objects.order_by("name"),
    )
    supply_risk_min = django_filters.NumberFilter(
        label=_("Supply risk at least"), field_name="supply_risk", lookup_expr="gte"
    )
    documents = django_filters.ChoiceFilter(
        label=_("Documents"), choices=DOCUMENT_STATES, method="filter_documents"
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = SupplierProfile
        fields: list[str] = []

    def filter_documents(self, queryset, name, value):
        return selectors.filter_documents(queryset, value)


class SupplyCategoryFilterSet(AccordFilterSet):
    search_fields = ("name", "description")
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = SupplyCategory
        fields: list[str] = []


class QualificationQuestionFilterSet(AccordFilterSet):
    search_fields = ("text", "help")
    active = django_filters.BooleanFilter(label=_("Active"))
    required = django_filters.BooleanFilter(label=_("Required"))

    class Meta:
        model = QualificationQuestion
        fields: list[str] = []


class SupplierDocumentFilterSet(AccordFilterSet):
    search_fields = ("title", "note", "profile__organization__name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SupplierDocumentKind.choices)
    profile = django_filters.NumberFilter(label=_("Supplier profile"), field_name="profile_id")
    valid_until_before = django_filters.DateFilter(
        label=_("Valid until on or before"), field_name="valid_until", lookup_expr="lte"
    )

    class Meta:
        model = SupplierDocument
        fields: list[str] = []
