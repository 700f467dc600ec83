"""Reads of quotes, orders, invoices, payments, bank statements and recurring orders: every
list applies the visibility rule; totals come from `pricing`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from ..choices import InvoiceStatus
from ..models import (
    BankStatement,
    BankStatementRow,
    CustomerCredit,
    Invoice,
    Order,
    Payment,
    Quote,
    RecurringOrder,
)
from ..pricing import Totals, document_totals


def quote_list(user: Any) -> QuerySet[Quote]:
    return Quote.objects.visible_to(user).select_related("organization", "owner")


def order_list(user: Any) -> QuerySet[Order]:
    return Order.objects.visible_to(user).select_related("organization", "owner")


def invoice_list(user: Any) -> QuerySet[Invoice]:
    return Invoice.objects.visible_to(user).select_related("organization", "order", "owner")


def payment_list(user: Any) -> QuerySet[Payment]:
    return Payment.objects.visible_to(user).select_related("organization", "invoice")


def recurring_order_list(user: Any) -> QuerySet[RecurringOrder]:
    return RecurringOrder.objects.visible_to(user).select_related("organization", "owner")


def statement_list(user: Any) -> QuerySet[BankStatement]:
    return BankStatement.objects.visible_to(user).defer("content")


def statement_rows(user: Any, statement: BankStatement) -> QuerySet[BankStatementRow]:
    return (
        BankStatementRow.objects.visible_to(user)
        .filter(statement=statement)
        .select_related("invoice", "payment")
        .order_by("row_number")
    )


def unmatched_rows(user: Any) -> QuerySet[BankStatementRow]:
    return (
        BankStatementRow.objects.visible_to(user)
        .filter(status="unmatched")
        .select_related("statement")
        .order_by("-booked_on", "id")
    )


def lines_and_totals(document: Any, share: Decimal = Decimal("100")) -> tuple[list[Any], Totals]:
    lines = list(document.lines.select_related("product").order_by("position", "id"))
    return lines, document_totals(lines, share)


def credit_balances(organization: Any) -> dict[str, Decimal]:
    """The organization's credit per currency (only currencies with a balance)."""
    rows = (
        CustomerCredit.objects.filter(organization=organization)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {r["currency"]: r["total"] for r in rows if r["total"]}


def overdue_invoices(user: Any, today: date | None = None) -> QuerySet[Invoice]:
    today = today or timezone.localdate()
    return invoice_list(user).filter(
        status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID], due_on__lt=today
    )


@dataclass
class OrganizationBilling:
    open_invoices: list[Invoice]
    overdue_count: int
    open_total: dict[str, Decimal]
    overdue_total: dict[str, Decimal]
    credits: dict[str, Decimal]
    recent_orders: list[Order]


def organization_billing(user: Any, organization_id: int) -> OrganizationBilling:
    """The billing fragment of an organization page: its open and overdue invoices (those the
    user may see) and its credit balance."""
    today = timezone.localdate()
    open_qs = invoice_list(user).filter(
        organization_id=organization_id,
        status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID],
    )
    invoices = list(open_qs.order_by("due_on", "id")[:20])
    open_total: dict[str, Decimal] = {}
    overdue_total: dict[str, Decimal] = {}
    overdue = 0
    for inv in open_qs.select_related(None).only(
        "gross_amount", "paid_amount", "currency", "due_on", "status"
    ):
        open_total[inv.currency] = open_total.get(inv.currency, Decimal("0")) + inv.open_amount
        if inv.due_on < today:
            overdue += 1
            overdue_total[inv.currency] = (
                overdue_total.get(inv.currency, Decimal("0")) + inv.open_amount
            )
    for inv in invoices:
        inv.overdue_days = inv.days_overdue(today)  # type: ignore[attr-defined]
    credits = {}
    if (
        open_qs.exists()
        or Order.objects.visible_to(user).filter(organization_id=organization_id).exists()
    ):
        credits = credit_balances(organization_id)
    recent = list(order_list(user).filter(organization_id=organization_id)[:5])
    return OrganizationBilling(invoices, overdue, open_total, overdue_total, credits, recent)
