"""Budgets: how much a business unit may spend on a cost category (a supply category) in a month,
quarter or year. The spend against them is read from the purchase orders."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel
from accord.intelligence.engine import periods

CURRENCY = RegexValidator(r"^[A-Z]{3}$", _("Enter a three-letter currency code such as EUR."))


class BudgetPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Budget(OwnedModel):
    """The amount one internal business unit plans to spend on one cost category in one period
    (`period_start` is the period's first day). One budget per unit, category and period; the
    owner hears when the spend passes 90 % or 100 % or its forecast exceeds the budget."""

    business_unit = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("business unit"),
        on_delete=models.PROTECT,
        related_name="budgets",
        limit_choices_to={"is_internal": True},
    )
    category = models.ForeignKey(
        "procurement.SupplyCategory",
        verbose_name=_("cost category"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=BudgetPeriod.choices, default=BudgetPeriod.QUARTER
    )
    period_start = models.DateField(_("period start"), db_index=True)
    # the period's last day, kept by the services: spend is read by date range in one query
    period_end = models.DateField(_("period end"), editable=False)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[CURRENCY])
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-period_start", "business_unit__name", "category__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_unit", "category", "period_kind", "period_start"],
                name="procurement_budget_unit_category_period",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")), name="procurement_budget_amount_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["period_kind", "period_start"], name="procurement_budget_period")
        ]

    def __str__(self) -> str:
        return f"{self.business_unit} · {self.category} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:budget_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return periods.period_label(self.period_kind, self.period_start)
