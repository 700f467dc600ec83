"""Purchases: purchase orders to suppliers with their lines, and the deliveries received against
them (quantities received and rejected, the price charged). Delivery facts (on time, rejects,
price deviation, over-delivery) feed the supplier scorecards and the spend of budgets."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel, TimestampedModel
from accord.core.visibility import VisibleQuerySet

QUANTITY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 16, "decimal_places": 4}
ZERO = Decimal("0")


class PurchaseOrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ORDERED = "ordered", _("Ordered")
    PARTLY_DELIVERED = "partly_delivered", _("Partly delivered")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseOrder(OwnedModel):
    """An order to a supplier or service provider, placed by one of our business units; its status
    follows the deliveries once it is ordered."""

    number = models.CharField(_("number"), max_length=50, unique=True)
    supplier = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="purchase_orders",
    )
    business_unit = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("business unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_purchase_orders",
        help_text=_("The internal business unit that placed the order."),
    )
    ordered_on = models.DateField(_("ordered on"), default=timezone.localdate, db_index=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseOrderStatus.choices,
        default=PurchaseOrderStatus.ORDERED,
        db_index=True,
    )
    note = models.TextField(_("note"), blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The order's id in the ERP system."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-ordered_on", "-id"]
        indexes = [
            models.Index(fields=["supplier", "ordered_on"], name="procurement_po_supplier_date"),
            # budget spend: a unit's orders in a period (`selectors.budgets`)
            models.Index(fields=["business_unit", "ordered_on"], name="procurement_po_unit_date"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("procurement:purchaseorder_detail", args=[self.pk])


class PurchaseOrderLine(TimestampedModel):
    """One position of a purchase order: what, how much, at which agreed price, by when."""

    visibility_parent = "order"

    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveIntegerField(_("line no."))
    description = models.CharField(_("description"), max_length=300)
    category = models.ForeignKey(
        "procurement.SupplyCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=20, blank=True, default="")
    unit_price = models.DecimalField(_("agreed unit price"), **PRICE)
    delivery_date = models.DateField(_("agreed delivery date"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order_id", "line_no"]
        # budget spend: an order's lines of one category (`selectors.budgets`)
        indexes = [models.Index(fields=["order", "category"], name="procurement_poline_ord_cat")]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="procurement_poline_no"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="procurement_poline_qty"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="procurement_poline_price"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no} {self.description}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity or ZERO) * (self.unit_price or ZERO)

    def get_absolute_url(self) -> str:
        return reverse("procurement:purchaseorder_detail", args=[self.order_id])


class Delivery(TimestampedModel):
    """Goods or services received against a purchase order on one day (one delivery note)."""

    visibility_parent = "order"

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    delivered_on = models.DateField(_("delivered on"), db_index=True)
    delivery_note_number = models.CharField(_("delivery note no."), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["order_id", "delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.order} · {self.delivered_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:purchaseorder_detail", args=[self.order_id])


class DeliveryLine(TimestampedModel):
    """What arrived of one order line in one delivery: received, rejected (≤ received) and the unit
    price charged. More than ordered is kept and flagged (`is_over_delivery`), never refused."""

    visibility_parent = "delivery"

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        verbose_name=_("order line"),
        on_delete=models.CASCADE,
        related_name="delivery_lines",
    )
    quantity_received = models.DecimalField(_("quantity received"), **QUANTITY)
    quantity_rejected = models.DecimalField(_("quantity rejected"), default=ZERO, **QUANTITY)
    unit_price_charged = models.DecimalField(
        _("unit price charged"),
        null=True,
        blank=True,
        help_text=_("Empty: the agreed price was charged."),
        **PRICE,
    )
    is_over_delivery = models.BooleanField(_("over-delivery"), default=False, db_index=True)
    over_delivery_note = models.CharField(_("over-delivery note"), max_length=300, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["delivery_id", "order_line__line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "order_line"], name="procurement_deliveryline_once"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gte=0), name="procurement_dline_received"
            ),
            models.CheckConstraint(
                condition=Q(quantity_rejected__gte=0)
                & Q(quantity_rejected__lte=F("quantity_received")),
                name="procurement_dline_rejected",
            ),
            models.CheckConstraint(
                condition=Q(unit_price_charged__isnull=True) | Q(unit_price_charged__gte=0),
                name="procurement_dline_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery} · {self.order_line.line_no}"

    @property
    def quantity_accepted(self) -> Decimal:
        return (self.quantity_received or ZERO) - (self.quantity_rejected or ZERO)

    def get_absolute_url(self) -> str:
        return reverse("procurement:purchaseorder_detail", args=[self.delivery.order_id])
