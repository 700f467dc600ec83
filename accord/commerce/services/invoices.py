"""Invoices, payments and customer credits.

* An invoice bills its order's lines (or `share_percent` of them: a partial invoice); the
  amounts come from `pricing.document_totals` and are stored. The shares of an order's invoices
  (not cancelled) add up to at most 100 %; at 100 % the order is "invoiced".
* A payment pays its invoice up to the open amount; the rest — or all of a payment without an
  invoice — becomes a credit of the organization (never lost), which `invoice_apply_credit`
  uses for a later invoice. An invoice's paid amount is always recomputed from its payments and
  applied credits (`refresh_invoice`), so it cannot drift.
* When an order is fully invoiced and all its invoices are paid, the order becomes "paid".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization

from ..choices import InvoiceStatus, OrderStatus
from ..models import CustomerCredit, Invoice, Order, Payment
from ..pricing import HUNDRED, document_totals
from .common import create_numbered, require_visible

INVOICE_PREFIX = "RE"
ZERO = Decimal("0.00")


def invoiced_share(order: Order, exclude: Invoice | None = None) -> Decimal:
    qs = order.invoices.exclude(status=InvoiceStatus.CANCELLED)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(s=Sum("share_percent"))["s"] or Decimal("0")


def order_fully_paid(order: Order) -> bool:
    invoices = order.invoices.exclude(status=InvoiceStatus.CANCELLED)
    return (
        invoiced_share(order) >= HUNDRED
        and invoices.exists()
        and not invoices.exclude(status=InvoiceStatus.PAID).exists()
    )


def _follow_order(order: Order) -> None:
    """Invoiced at 100 % invoiced; paid when also every invoice is paid (and back to invoiced
    when a payment is removed)."""
    if order.status == OrderStatus.CANCELLED:
        return
    status = order.status
    if order_fully_paid(order):
        status = OrderStatus.PAID
    elif invoiced_share(order) >= HUNDRED:
        status = OrderStatus.INVOICED
    elif order.status in (OrderStatus.PAID, OrderStatus.INVOICED):
        status = OrderStatus.INVOICED if order.invoices.exists() else OrderStatus.CONFIRMED
    if status != order.status:
        core.model_update(order, actor=None, data={"status": status})


def credit_balance(organization: Any, currency: str = "EUR") -> Decimal:
    """What the organization has on credit in one currency."""
    total = CustomerCredit.objects.filter(organization=organization, currency=currency).aggregate(
        s=Sum("amount")
    )["s"]
    return total or ZERO


def refresh_invoice(invoice: Invoice) -> Invoice:
    """Recompute paid amount and status from the payments and the applied credits."""
    paid = invoice.payments.aggregate(s=Sum("applied_amount"))["s"] or ZERO
    applied = invoice.credits.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"] or ZERO
    paid = paid - applied
    status = invoice.status
    if status != InvoiceStatus.CANCELLED:
        if paid >= invoice.gross_amount and invoice.gross_amount > 0:
            status = InvoiceStatus.PAID
        elif paid > 0:
            status = InvoiceStatus.PARTLY_PAID
        else:
            status = InvoiceStatus.OPEN
    paid_on = None
    if status == InvoiceStatus.PAID:
        paid_on = invoice.payments.aggregate(d=Max("received_on"))["d"] or timezone.localdate()
    Invoice.objects.filter(pk=invoice.pk).update(paid_amount=paid, status=status, paid_on=paid_on)
    invoice.paid_amount, invoice.status, invoice.paid_on = paid, status, paid_on
    _follow_order(invoice.order)
    return invoice


def invoice_create(*, actor: Any, data: Mapping[str, Any]) -> Invoice:
    """Invoice an order (or a share of it). `apply_credit` uses the organization's credit."""
    core.require_write(actor)
    data = dict(data)
    apply_credit = bool(data.pop("apply_credit", False))
    for key in ("number", "status", "organization", "net_amount", "vat_amount", "gross_amount"):
        data.pop(key, None)
    order = require_visible(
        actor, Order, data.get("order"), "order", _("Choose an order you can see.")
    )
    if order is None:
        raise ValidationError({"order": _("Choose an order.")})
    if order.status == OrderStatus.CANCELLED:
        raise ValidationError({"order": _("The order was cancelled; it is not invoiced.")})
    share = Decimal(str(data.get("share_percent") or HUNDRED))
    if not Decimal("0") < share <= HUNDRED:
        raise ValidationError(
            {"share_percent": _("The share must be above 0 and at most 100 per cent.")}
        )
    done = invoiced_share(order)
    if done + share > HUNDRED:
        raise ValidationError(
            {
                "share_percent": _(
                    "%(done)s %% of the order is invoiced already; at most %(left)s %% is left."
                )
                % {"done": f"{done.normalize():f}", "left": f"{(HUNDRED - done).normalize():f}"}
            }
        )
    lines = list(order.lines.all())
    totals = document_totals(lines, share)
    if totals.gross <= 0:
        raise ValidationError({"order": _("The order has no amount to invoice.")})
    issued = data.get("issued_on") or timezone.localdate()
    terms = data.get("payment_terms_days")
    terms = 14 if terms in (None, "") else int(terms)
    values = {
        **data,
        "order": order,
        "organization": order.organization,
        "issued_on": issued,
        "payment_terms_days": terms,
        "due_on": issued + timedelta(days=terms),
        "share_percent": share,
        "currency": order.currency,
        "language": data.get("language") or order.language,
        "net_amount": totals.net,
        "vat_amount": totals.vat,
        "gross_amount": totals.gross,
        "owner": data.get("owner") or order.owner,
        "team": data.get("team") or order.team,
    }

    def create(number: str) -> Invoice:
        return core.model_create(Invoice, actor=actor, data={**values, "number": number})

    with transaction.atomic():
        invoice = create_numbered(create, Invoice, INVOICE_PREFIX, issued, 5)
        _follow_order(order)
        if apply_credit:
            invoice_apply_credit(actor=actor, invoice=invoice)
    return invoice


def invoice_update(*, actor: Any, instance: Invoice, data: Mapping[str, Any]) -> Invoice:
    """Change the dates, terms, language and notes; the amounts stay as issued."""
    core.require_change(actor, instance)
    allowed = {"issued_on", "payment_terms_days", "language", "notes", "owner", "team"}
    data = {k: v for k, v in data.items() if k in allowed}
    issued = data.get("issued_on") or instance.issued_on
    terms = data.get("payment_terms_days")
    terms = instance.payment_terms_days if terms in (None, "") else int(terms)
    data["due_on"] = issued + timedelta(days=terms)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=data)


def invoice_cancel(*, actor: Any, invoice: Invoice) -> Invoice:
    """Cancel an invoice; what was paid on it becomes the organization's credit."""
    core.require_change(actor, invoice)
    if invoice.status == InvoiceStatus.CANCELLED:
        raise ValidationError({"status": _("The invoice was cancelled already.")})
    with transaction.atomic():
        paid = invoice.paid_amount
        for payment in invoice.payments.filter(applied_amount__gt=0):
            CustomerCredit.objects.create(
                organization=invoice.organization,
                amount=payment.applied_amount,
                currency=payment.currency,
                payment=payment,
                note=_("Paid on the cancelled invoice %(number)s") % {"number": invoice.number},
            )
            Payment.objects.filter(pk=payment.pk).update(
                applied_amount=ZERO, credited_amount=payment.amount
            )
        # applied credit goes back to the balance
        invoice.credits.filter(amount__lt=0).delete()
        core.model_update(invoice, actor=actor, data={"status": InvoiceStatus.CANCELLED})
        Invoice.objects.filter(pk=invoice.pk).update(paid_amount=ZERO)
        invoice.paid_amount = ZERO
        _follow_order(invoice.order)
        invoice.refunded_to_credit = paid  # type: ignore[attr-defined]
    return invoice


def invoice_delete(*, actor: Any, instance: Invoice) -> None:
    if instance.payments.exists() or instance.credits.exists():
        raise ValidationError(
            {"invoice": _("The invoice has payments; cancel it instead of deleting it.")}
        )
    order = instance.order
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        _follow_order(order)


def invoice_apply_credit(*, actor: Any, invoice: Invoice) -> Decimal:
    """Use the organization's credit (same currency) for the invoice's open amount; returns
    what was applied."""
    core.require_change(actor, invoice)
    if invoice.status == InvoiceStatus.CANCELLED:
        raise ValidationError({"status": _("The invoice was cancelled.")})
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=invoice.organization_id).first()
        available = credit_balance(invoice.organization_id, invoice.currency)
        amount = min(available, invoice.open_amount)
        if amount <= 0:
            return ZERO
        CustomerCredit.objects.create(
            organization_id=invoice.organization_id,
            amount=-amount,
            currency=invoice.currency,
            invoice=invoice,
            note=_("Applied to invoice %(number)s") % {"number": invoice.number},
        )
        refresh_invoice(invoice)
    return amount


def payment_create(*, actor: Any, data: Mapping[str, Any]) -> Payment:
    """Record a payment. For an invoice: pays up to its open amount; the surplus becomes credit
    (`payment.credited_amount`). Without an invoice: the organization's credit."""
    core.require_write(actor)
    data = dict(data)
    for key in ("applied_amount", "credited_amount"):
        data.pop(key, None)
    invoice = None
    if data.get("invoice") not in (None, ""):
        invoice = require_visible(
            actor, Invoice, data["invoice"], "invoice", _("Choose an invoice you can see.")
        )
        core.require_change(actor, invoice)
        if data.get("organization") in (None, ""):
            data["organization"] = invoice.organization
        data.setdefault("currency", invoice.currency)
        data.setdefault("owner", invoice.owner)
        data.setdefault("team", invoice.team)
    data["invoice"] = invoice
    organization = require_visible(
        actor,
        Organization,
        data.get("organization"),
        "organization",
        _("Choose an organization you can see."),
    )
    if organization is None:
        raise ValidationError({"organization": _("Choose an organization.")})
    data["organization"] = organization
    if invoice is not None and invoice.organization_id != organization.pk:
        raise ValidationError(
            {
                "invoice": _("The invoice belongs to another organization (%(org)s).")
                % {"org": invoice.organization}
            }
        )
    amount = data.get("amount")
    try:
        amount = Decimal(str(amount))
    except Exception:  # noqa: BLE001 - any unreadable input
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    data["amount"] = amount
    currency = str(data.get("currency") or "EUR").upper()
    data["currency"] = currency
    if invoice is not None and currency != invoice.currency:
        raise ValidationError(
            {"currency": _("The invoice is in %(currency)s.") % {"currency": invoice.currency}}
        )
    with transaction.atomic():
        if invoice is not None:
            invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
            refresh_invoice(invoice)
            applied = min(amount, invoice.open_amount)
        else:
            applied = ZERO
        data["applied_amount"] = applied
        data["credited_amount"] = amount - applied
        payment = core.model_create(Payment, actor=actor, data=data)
        if payment.credited_amount > 0:
            CustomerCredit.objects.create(
                organization=organization,
                amount=payment.credited_amount,
                currency=currency,
                payment=payment,
                note=(
                    _("Overpayment of invoice %(number)s") % {"number": invoice.number}
                    if invoice is not None
                    else _("Payment on account")
                ),
            )
        if invoice is not None:
            refresh_invoice(invoice)
    return payment


def payment_update(*, actor: Any, instance: Payment, data: Mapping[str, Any]) -> Payment:
    """Only the date, method and reference change; a wrong amount: delete and record again."""
    core.require_change(actor, instance)
    allowed = {"received_on", "method", "reference", "owner", "team"}
    refused = {k for k, v in data.items() if k not in allowed and getattr(instance, k, v) != v}
    if refused:
        field = sorted(refused)[0]
        raise ValidationError({field: _("Delete the payment and record it again to change this.")})
    return core.model_update(
        instance, actor=actor, data={k: v for k, v in data.items() if k in allowed}
    )


def payment_delete(*, actor: Any, instance: Payment) -> None:
    """Remove a payment (a booking error); its credit is removed too — refused when that credit
    was used for another invoice meanwhile."""
    core.require_change(actor, instance)
    with transaction.atomic():
        credited = instance.credits.aggregate(s=Sum("amount"))["s"] or ZERO
        if credited > 0:
            balance = credit_balance(instance.organization_id, instance.currency)
            if balance - credited < 0:
                raise ValidationError(
                    {
                        "amount": _(
                            "The credit from this payment was used for another invoice; "
                            "cancel that use first."
                        )
                    }
                )
        invoice = instance.invoice
        from ..choices import BankRowStatus
        from ..models import BankStatementRow

        BankStatementRow.objects.filter(payment=instance).update(
            payment=None, status=BankRowStatus.UNMATCHED, invoice=None
        )
        core.model_delete(instance, actor=actor)
        if invoice is not None:
            refresh_invoice(invoice)
