"""Invoices, payments and customer credits.

An invoice bills an order (all of it, or a share of it for a partial invoice); its amounts are
computed once by `pricing.document_totals` and stored. Payments pay invoices; what a payment
brings beyond the invoice's open amount is never lost: it becomes a customer credit of the
organization (`CustomerCredit` rows: surplus +, applied to a later invoice −).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel, TimestampedModel
from accord.core.visibility import VisibleQuerySet

from ..choices import DocumentLanguage, InvoiceStatus, PaymentMethod
from .products import CURRENCY_VALIDATOR, DEFAULT_CURRENCY


class Invoice(OwnedModel):
    """An invoice (number RE-2026-00042) for an order or a share of it; due after the payment
    terms; open, partly paid, paid or cancelled."""

    number = models.CharField(_("number"), max_length=30, unique=True, blank=True)
    order = models.ForeignKey(
        "commerce.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="invoices",
        editable=False,
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate, db_index=True)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=14, validators=[MaxValueValidator(365)]
    )
    due_on = models.DateField(_("due on"), editable=False, db_index=True)
    share_percent = models.DecimalField(
        _("share of the order %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("100 bills the whole order; less makes a partial invoice."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    language = models.CharField(
        _("document language"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.GERMAN,
    )
    net_amount = models.DecimalField(
        _("net"), default=Decimal("0"), editable=False, max_digits=14, decimal_places=2
    )
    vat_amount = models.DecimalField(
        _("VAT"), default=Decimal("0"), editable=False, max_digits=14, decimal_places=2
    )
    gross_amount = models.DecimalField(
        _("gross"), default=Decimal("0"), editable=False, max_digits=14, decimal_places=2
    )
    paid_amount = models.DecimalField(
        _("paid"), default=Decimal("0"), editable=False, max_digits=14, decimal_places=2
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.OPEN,
        editable=False,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="commerce_invoice_due"),
            models.Index(fields=["organization", "status"], name="commerce_invoice_org"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("New invoice"))

    def get_absolute_url(self) -> str:
        return reverse("commerce:invoice_detail", args=[self.pk])

    @property
    def open_amount(self) -> Decimal:
        if self.status == InvoiceStatus.CANCELLED:
            return Decimal("0.00")
        return max(self.gross_amount - self.paid_amount, Decimal("0.00"))

    def days_overdue(self, today=None) -> int:
        today = today or timezone.localdate()
        if self.status in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED) or self.due_on >= today:
            return 0
        return (today - self.due_on).days


class Payment(OwnedModel):
    """Money received from an organization: for an invoice or on account. The part beyond the
    invoice's open amount (`credited_amount`) became a customer credit."""

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    amount = models.DecimalField(
        _("amount"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=14,
        decimal_places=2,
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate, db_index=True)
    method = models.CharField(
        _("method"), max_length=15, choices=PaymentMethod.choices, default=PaymentMethod.MANUAL
    )
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    applied_amount = models.DecimalField(
        _("applied to the invoice"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )
    credited_amount = models.DecimalField(
        _("credited to the organization"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="commerce_payment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} · {self.received_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("commerce:payment_detail", args=[self.pk])


class CustomerCredit(TimestampedModel):
    """One movement of an organization's credit: a payment's surplus (+) or credit applied to an
    invoice (−). The balance is the sum per organization and currency."""

    visibility_parent = "organization"

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="credits",
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credits",
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("applied to invoice"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credits",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer credit")
        verbose_name_plural = _("customer credits")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.amount:+} {self.currency}"

    def get_absolute_url(self) -> str:
        return self.organization.get_absolute_url()
