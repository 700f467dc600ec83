"""The product catalogue: what opportunities, quotes and orders are made of."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import TimestampedModel

CURRENCY_VALIDATOR = RegexValidator(
    r"^[A-Z]{3}$", _("Enter a three-letter currency code such as EUR.")
)
DEFAULT_CURRENCY = "EUR"


class Product(TimestampedModel):
    """A product or service we sell, with its list price; kept by administrators and managers,
    read by everyone."""

    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    list_price = models.DecimalField(
        _("list price"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(list_price__gte=0), name="commerce_product_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    def get_absolute_url(self) -> str:
        return reverse("commerce:product_detail", args=[self.pk])
