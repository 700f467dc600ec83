"""Forms of the commerce pages: they validate input; the services write."""

from .products import ProductForm
from .sales import (
    AcceptQuoteForm,
    BankRowAssignForm,
    BankStatementForm,
    InvoiceForm,
    OrderForm,
    OrderLineForm,
    OrderStatusForm,
    PaymentForm,
    QuoteForm,
    QuoteLineForm,
    RecurringOrderForm,
    RecurringOrderLineForm,
)

__all__ = [
    "AcceptQuoteForm",
    "BankRowAssignForm",
    "BankStatementForm",
    "InvoiceForm",
    "OrderForm",
    "OrderLineForm",
    "OrderStatusForm",
    "PaymentForm",
    "ProductForm",
    "QuoteForm",
    "QuoteLineForm",
    "RecurringOrderForm",
    "RecurringOrderLineForm",
]
