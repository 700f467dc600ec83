"""Recurring orders: a template of lines ordered every n months or weeks (consumables,
subscriptions); a periodic job creates each period's order once."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel

from ..choices import DocumentLanguage, IntervalUnit
from .lines import DocumentLine
from .products import CURRENCY_VALIDATOR, DEFAULT_CURRENCY


class RecurringOrder(OwnedModel):
    """Order the same lines for an organization every `interval` months or weeks from
    `next_on` until `end_on` (if set), while active."""

    name = models.CharField(_("name"), max_length=200)
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="recurring_orders",
    )
    interval = models.PositiveSmallIntegerField(
        _("every"), default=1, validators=[MinValueValidator(1)]
    )
    interval_unit = models.CharField(
        _("interval unit"), max_length=6, choices=IntervalUnit.choices, default=IntervalUnit.MONTHS
    )
    next_on = models.DateField(_("next order on"), db_index=True)
    end_on = models.DateField(_("ends on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    language = models.CharField(
        _("document language"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.GERMAN,
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("recurring order")
        verbose_name_plural = _("recurring orders")
        ordering = ["next_on", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commerce:recurringorder_detail", args=[self.pk])


class RecurringOrderLine(DocumentLine):
    """One line of the template a recurring order copies into each order."""

    visibility_parent = "recurring"

    recurring = models.ForeignKey(
        RecurringOrder,
        verbose_name=_("recurring order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )

    class Meta:
        verbose_name = _("recurring order line")
        verbose_name_plural = _("recurring order lines")
        ordering = ["recurring", "position", "id"]

    def get_absolute_url(self) -> str:
        return self.recurring.get_absolute_url()
