"""Orders (from an accepted quote, by hand or from a recurring order) and their lines."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel

from ..choices import DocumentLanguage, OrderStatus
from .lines import DocumentLine
from .products import CURRENCY_VALIDATOR, DEFAULT_CURRENCY


class Order(OwnedModel):
    """An order of an organization (number AU-2026-00042): confirmed, delivered, invoiced, paid
    or cancelled; its lines carry their delivery dates."""

    number = models.CharField(_("number"), max_length=30, unique=True, blank=True)
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    quote = models.ForeignKey(
        "commerce.Quote",
        verbose_name=_("quote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    recurring = models.ForeignKey(
        "commerce.RecurringOrder",
        verbose_name=_("recurring order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        editable=False,
    )
    recurring_period = models.DateField(
        _("period of the recurring order"), null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.CONFIRMED
    )
    ordered_on = models.DateField(_("ordered on"), default=timezone.localdate, db_index=True)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    language = models.CharField(
        _("document language"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.GERMAN,
    )
    customer_reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "ordered_on"], name="commerce_order_org"),
            models.Index(fields=["status", "ordered_on"], name="commerce_order_status"),
        ]
        constraints = [
            # a recurring order creates at most one order per period
            models.UniqueConstraint(
                fields=["recurring", "recurring_period"],
                condition=models.Q(recurring__isnull=False),
                name="commerce_order_one_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.number or str(_("New order"))

    def get_absolute_url(self) -> str:
        return reverse("commerce:order_detail", args=[self.pk])


class OrderLine(DocumentLine):
    """One line of an order, with its delivery date."""

    visibility_parent = "order"

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="commerce_orderline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="commerce_orderline_price_not_negative"
            ),
        ]

    def get_absolute_url(self) -> str:
        return self.order.get_absolute_url()
