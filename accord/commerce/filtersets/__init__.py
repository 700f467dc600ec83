"""Filters of the commerce lists; the same classes serve the API."""

from .products import ProductFilterSet
from .sales import (
    BankStatementFilterSet,
    InvoiceFilterSet,
    OrderFilterSet,
    PaymentFilterSet,
    QuoteFilterSet,
    RecurringOrderFilterSet,
)

__all__ = [
    "BankStatementFilterSet",
    "InvoiceFilterSet",
    "OrderFilterSet",
    "PaymentFilterSet",
    "ProductFilterSet",
    "QuoteFilterSet",
    "RecurringOrderFilterSet",
]
