"""Quotes, orders and invoices in global search by number (discovered by core; indexes:
migration 0003)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models import Invoice, Order, Quote


def _subtitle(document, when) -> str:
    """ "Müller GmbH · Sent · 2026-03-12"."""
    parts = (document.organization.name, document.get_status_display(), when.isoformat())
    return " · ".join(str(p) for p in parts if p)


register_search(
    Quote,
    fields=("number", "notes"),
    title=lambda quote: f"{_('Quote')} {quote.number}",
    subtitle=lambda quote: _subtitle(quote, quote.issued_on),
    kind_label=_("Quotes"),
    icon="document",
    select_related=("organization",),
)
register_search(
    Order,
    fields=("number", "customer_reference"),
    title=lambda order: f"{_('Order')} {order.number}",
    subtitle=lambda order: _subtitle(order, order.ordered_on),
    kind_label=_("Orders"),
    icon="order",
    select_related=("organization",),
)
register_search(
    Invoice,
    fields=("number",),
    title=lambda invoice: f"{_('Invoice')} {invoice.number}",
    subtitle=lambda invoice: _subtitle(invoice, invoice.issued_on),
    kind_label=_("Invoices"),
    icon="document",
    select_related=("organization",),
)
