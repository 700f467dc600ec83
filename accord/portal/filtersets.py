from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.commerce.choices import QuoteStatus
from accord.commerce.filtersets import InvoiceFilterSet, OrderFilterSet, QuoteFilterSet
from accord.core.filters import AccordFilterSet
from accord.servicedesk.filtersets.cases import CaseFilterSet

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


# --- the client's lists in the portal ------------------------------------------------------------
# The staff lists' filtersets, narrowed to what a client may filter by: the status and a search
# by number (and a case's subject). Owner, team, organization and the staff's notes stay out (a
# search must not reveal what notes say), also filters the staff lists gain later: the portal
# keeps an allow-list. Which records a client sees at all is decided by the portal selectors,
# before these filter.


class ClientFilterMixin:
    """Keeps only the filters named in `client_filters`; the search covers `search_fields`."""

    client_filters: tuple[str, ...] = ("q", "status")
    search_fields: tuple[str, ...] = ("number",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.filters):  # type: ignore[attr-defined]
            if name not in self.client_filters:
                del self.filters[name]  # type: ignore[attr-defined]


class PortalQuoteFilterSet(ClientFilterMixin, QuoteFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[c for c in QuoteStatus.choices if c[0] != QuoteStatus.DRAFT]
    )

    class Meta(QuoteFilterSet.Meta):
        pass


class PortalOrderFilterSet(ClientFilterMixin, OrderFilterSet):
    class Meta(OrderFilterSet.Meta):
        pass


class PortalInvoiceFilterSet(ClientFilterMixin, InvoiceFilterSet):
    class Meta(InvoiceFilterSet.Meta):
        pass


class PortalCaseFilterSet(ClientFilterMixin, CaseFilterSet):
    search_fields = ("number", "subject")

    class Meta(CaseFilterSet.Meta):
        pass
