"""The fields every document line shares (quote, order and recurring-order lines)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.visibility import VisibleQuerySet

from ..choices import VatRate
from ..pricing import line_net


class DocumentLine(models.Model):
    """A product or free text with quantity, unit price, discount and VAT rate."""

    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "commerce.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    discount = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    vat_rate = models.CharField(
        _("VAT rate"), max_length=2, choices=VatRate.choices, default=VatRate.STANDARD
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description or self.product}"

    @property
    def net(self) -> Decimal:
        return line_net(self.quantity, self.unit_price, self.discount)
