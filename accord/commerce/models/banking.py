"""Imported bank statements: each row matched to an invoice, kept for manual assignment, or
recognised as imported before (the row's fingerprint is unique)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.models import OwnedModel, TimestampedModel
from accord.core.visibility import VisibleQuerySet

from ..choices import BankRowStatus


class BankStatement(OwnedModel):
    """One uploaded CSV bank statement and what its import found."""

    name = models.CharField(_("file name"), max_length=255)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content = models.TextField(_("content"), blank=True, editable=False)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commerce:bankstatement_detail", args=[self.pk])


class BankStatementRow(TimestampedModel):
    """One booking of a statement: matched by the invoice number in its reference and its
    amount, or left for manual assignment. `fingerprint` (date, amount, reference, account)
    is unique: the same booking is never booked twice."""

    visibility_parent = "statement"

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField(_("row"))
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    reference = models.CharField(_("reference"), max_length=500, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_iban = models.CharField(_("IBAN"), max_length=40, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BankRowStatus.choices, default=BankRowStatus.UNMATCHED
    )
    flag = models.CharField(_("note"), max_length=300, blank=True)
    invoice = models.ForeignKey(
        "commerce.Invoice",
        verbose_name=_("invoice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    payment = models.ForeignKey(
        "commerce.Payment",
        verbose_name=_("payment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_rows",
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank statement row")
        verbose_name_plural = _("bank statement rows")
        ordering = ["statement", "row_number"]

    def __str__(self) -> str:
        return f"{self.booked_on:%Y-%m-%d} {self.amount} {self.reference[:40]}"

    def get_absolute_url(self) -> str:
        return self.statement.get_absolute_url()
