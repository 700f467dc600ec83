"""Quotes (offers) to organizations and their lines."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel

from ..choices import DocumentLanguage, QuoteStatus
from .lines import DocumentLine
from .products import CURRENCY_VALIDATOR, DEFAULT_CURRENCY


class Quote(OwnedModel):
    """An offer to an organization (number A-2026-0042): lines with VAT, valid until a date, in
    German or English. Accepting it creates an order."""

    number = models.CharField(_("number"), max_length=30, unique=True, blank=True)
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    contact = models.ForeignKey(
        "parties.Person",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    language = models.CharField(
        _("document language"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.GERMAN,
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Printed on the quote."))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "valid_until"], name="commerce_quote_status")]

    def __str__(self) -> str:
        return self.number or str(_("New quote"))

    def get_absolute_url(self) -> str:
        return reverse("commerce:quote_detail", args=[self.pk])


class QuoteLine(DocumentLine):
    """One line of a quote."""

    visibility_parent = "quote"

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines"
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="commerce_quoteline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="commerce_quoteline_price_not_negative"
            ),
        ]

    def get_absolute_url(self) -> str:
        return self.quote.get_absolute_url()
