"""Fixed lists of the commerce app: statuses of quotes, orders and invoices, VAT rates, payment
methods, recurrence intervals and the outcome of a bank statement row."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class DocumentLanguage(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class VatRate(models.TextChoices):
    """The German VAT rates a line can carry; reverse charge is 0 % with a legal note and needs
    the client's VAT id."""

    STANDARD = "19", _("19 %")
    REDUCED = "7", _("7 %")
    ZERO = "0", _("0 %")
    REVERSE_CHARGE = "rc", _("Reverse charge (0 %)")


# the percentage behind each rate
VAT_PERCENT: dict[str, Decimal] = {
    VatRate.STANDARD: Decimal("19"),
    VatRate.REDUCED: Decimal("7"),
    VatRate.ZERO: Decimal("0"),
    VatRate.REVERSE_CHARGE: Decimal("0"),
}

# the legal note printed on a document with reverse-charge lines, by document language
REVERSE_CHARGE_NOTE = {
    "de": "Steuerschuldnerschaft des Leistungsempfängers",
    "en": "Reverse charge",
}


class OrderStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


# which status an order may move to from each status (paid is set by payments only)
ORDER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.CONFIRMED: (OrderStatus.DELIVERED, OrderStatus.INVOICED, OrderStatus.CANCELLED),
    OrderStatus.DELIVERED: (OrderStatus.INVOICED, OrderStatus.CANCELLED),
    OrderStatus.INVOICED: (OrderStatus.PAID, OrderStatus.DELIVERED),
    OrderStatus.PAID: (),
    OrderStatus.CANCELLED: (),
}


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    MANUAL = "manual", _("Manual")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CSV_IMPORT = "csv_import", _("Bank statement import")


class IntervalUnit(models.TextChoices):
    MONTHS = "months", _("Months")
    WEEKS = "weeks", _("Weeks")


class BankRowStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    PARTIAL = "partial", _("Matched, amount differs")
    UNMATCHED = "unmatched", _("Unmatched")
    ASSIGNED = "assigned", _("Assigned by hand")
    IGNORED = "ignored", _("Ignored")
