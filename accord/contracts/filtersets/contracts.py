"""Filters of the contract list; the same class serves the API."""

from __future__ import annotations

import django_filters
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

from ..models.contracts import Contract, ContractSide, ContractStatus, ContractType
from ..selectors.contracts import EXPIRY_WINDOWS, expiring_q

EXPIRING_CHOICES = [
    (str(days), _("Within %(days)d days") % {"days": days}) for days in EXPIRY_WINDOWS
]


class ContractFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = ("title", "number", "counterparty_name", "notes")
    choice_filters = {"owner": "user", "team": "team"}

    side = django_filters.ChoiceFilter(label=_("Side"), choices=ContractSide.choices)
    contract_type = django_filters.ChoiceFilter(label=_("Type"), choices=ContractType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ContractStatus.choices)
    counterparty = PartyChoiceFilter(
        label=_("Counterparty"),
        queryset=_visible(Organization),
        field_name="counterparty",
        widget=organization_widget(),
    )
    party = PartyChoiceFilter(
        label=_("Organization (any party)"),
        queryset=_visible(Organization),
        method="filter_party",
        widget=organization_widget(),
    )
    expiring = django_filters.ChoiceFilter(
        label=_("Expiring"),
        choices=EXPIRING_CHOICES,
        method="filter_expiring",
        help_text=_("Active contracts that do not renew and end within the period."),
    )
    auto_renewal = django_filters.BooleanFilter(label=_("Renews automatically"))
    ends_after = django_filters.DateFilter(
        label=_("Ends on or after"), field_name="end_date", lookup_expr="gte"
    )
    ends_before = django_filters.DateFilter(
        label=_("Ends on or before"), field_name="end_date", lookup_expr="lte"
    )
    currency = django_filters.CharFilter(label=_("Currency"), lookup_expr="iexact")
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = Contract
        fields: list[str] = []

    def filter_expiring(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(expiring_q(int(value)))

    def filter_party(self, queryset, name, value):
        if not value:
            return queryset
        from django.db.models import Q

        return queryset.filter(Q(counterparty=value) | Q(further_parties=value)).distinct()
