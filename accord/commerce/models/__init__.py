"""Models of the commerce app: the product catalogue, quotes, orders, invoices and payments
(one module each)."""

from .banking import BankStatement, BankStatementRow
from .invoices import CustomerCredit, Invoice, Payment
from .orders import Order, OrderLine
from .products import CURRENCY_VALIDATOR, DEFAULT_CURRENCY, Product
from .quotes import Quote, QuoteLine
from .recurring import RecurringOrder, RecurringOrderLine

__all__ = [
    "CURRENCY_VALIDATOR",
    "DEFAULT_CURRENCY",
    "BankStatement",
    "BankStatementRow",
    "CustomerCredit",
    "Invoice",
    "Order",
    "OrderLine",
    "Payment",
    "Product",
    "Quote",
    "QuoteLine",
    "RecurringOrder",
    "RecurringOrderLine",
]
