"""Reads of the commerce app (visibility applied); one module per area."""

from .products import product_list
from .sales import (
    credit_balances,
    invoice_list,
    lines_and_totals,
    order_list,
    organization_billing,
    overdue_invoices,
    payment_list,
    quote_list,
    recurring_order_list,
    statement_list,
    statement_rows,
    unmatched_rows,
)

__all__ = [
    "credit_balances",
    "invoice_list",
    "lines_and_totals",
    "order_list",
    "organization_billing",
    "overdue_invoices",
    "payment_list",
    "product_list",
    "quote_list",
    "recurring_order_list",
    "statement_list",
    "statement_rows",
    "unmatched_rows",
]
