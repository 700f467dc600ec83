"""Tables of the commerce list pages."""

from .products import ProductTable
from .sales import (
    BankStatementTable,
    InvoiceTable,
    OrderTable,
    PaymentTable,
    QuoteTable,
    RecurringOrderTable,
)

__all__ = [
    "BankStatementTable",
    "InvoiceTable",
    "OrderTable",
    "PaymentTable",
    "ProductTable",
    "QuoteTable",
    "RecurringOrderTable",
]
