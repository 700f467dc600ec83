"""Tables of the quote, order, invoice, payment, recurring-order and statement lists."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import BankStatement, Invoice, Order, Payment, Quote, RecurringOrder


class _LinkedRows(AccordTable.Meta):
    """Each row links to its record."""

    row_attrs = {"data-href": lambda record: record.get_absolute_url()}


class _SalesTable(AccordTable):
    """A client's record: the organization links to its page."""

    organization = tables.Column(verbose_name=_("Organization"), linkify=True)

    class Meta(_LinkedRows):
        pass


class _DocumentTable(_SalesTable):
    """Quotes, orders and invoices: a number, the client, a status and an owner."""

    number = tables.Column(linkify=True, verbose_name=_("Number"))
    status = tables.Column(verbose_name=_("Status"))
    owner = tables.Column(verbose_name=_("Owner"))


class QuoteTable(_DocumentTable):
    issued_on = tables.DateColumn(verbose_name=_("Issued on"))
    valid_until = tables.DateColumn(verbose_name=_("Valid until"))

    class Meta(_DocumentTable.Meta):
        model = Quote
        fields = ("number", "organization", "issued_on", "valid_until", "status", "owner")


class OrderTable(_DocumentTable):
    ordered_on = tables.DateColumn(verbose_name=_("Ordered on"))
    currency = tables.Column(verbose_name=_("Currency"))

    class Meta(_DocumentTable.Meta):
        model = Order
        fields = ("number", "organization", "ordered_on", "status", "currency", "owner")


class InvoiceTable(_DocumentTable):
    issued_on = tables.DateColumn(verbose_name=_("Issued on"))
    due_on = tables.DateColumn(verbose_name=_("Due on"))
    gross_amount = tables.Column(verbose_name=_("Gross"))
    open_amount = tables.Column(verbose_name=_("Open"), orderable=False)
    currency = tables.Column(verbose_name=_("Currency"))
    days_overdue = tables.Column(verbose_name=_("Days overdue"), orderable=False, empty_values=())

    class Meta(_DocumentTable.Meta):
        model = Invoice
        fields = (
            "number",
            "organization",
            "issued_on",
            "due_on",
            "gross_amount",
            "open_amount",
            "currency",
            "days_overdue",
            "status",
            "owner",
        )

    def render_days_overdue(self, record: Invoice) -> str:
        days = record.days_overdue()
        return str(days) if days else "—"

    def value_days_overdue(self, record: Invoice) -> int:
        return record.days_overdue()


class PaymentTable(_SalesTable):
    received_on = tables.DateColumn(linkify=True, verbose_name=_("Received on"))
    invoice = tables.Column(verbose_name=_("Invoice"), linkify=True)
    amount = tables.Column(verbose_name=_("Amount"))
    currency = tables.Column(verbose_name=_("Currency"))
    credited_amount = tables.Column(verbose_name=_("Credited"))
    method = tables.Column(verbose_name=_("Method"))
    reference = tables.Column(verbose_name=_("Reference"))

    class Meta(_SalesTable.Meta):
        model = Payment
        fields = (
            "received_on",
            "organization",
            "invoice",
            "amount",
            "currency",
            "credited_amount",
            "method",
            "reference",
        )


class RecurringOrderTable(_SalesTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    interval = tables.Column(verbose_name=_("Every"))
    interval_unit = tables.Column(verbose_name=_("Unit"))
    next_on = tables.DateColumn(verbose_name=_("Next order on"))
    end_on = tables.DateColumn(verbose_name=_("Ends on"))
    active = tables.BooleanColumn(verbose_name=_("Active"))
    owner = tables.Column(verbose_name=_("Owner"))

    class Meta(_SalesTable.Meta):
        model = RecurringOrder
        fields = (
            "name",
            "organization",
            "interval",
            "interval_unit",
            "next_on",
            "end_on",
            "active",
            "owner",
        )


class BankStatementTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("File name"))
    created_at = tables.DateTimeColumn(verbose_name=_("Imported"))
    owner = tables.Column(verbose_name=_("Imported by"))

    class Meta(_LinkedRows):
        model = BankStatement
        fields = ("name", "created_at", "owner")
