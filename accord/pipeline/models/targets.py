"""Revenue targets per period for a user, a team, a segment or the whole company."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.commerce.models import CURRENCY_VALIDATOR, DEFAULT_CURRENCY
from accord.core.models import TimestampedModel
from accord.intelligence.engine import periods
from accord.parties.choices import Industry

from ..choices import PeriodKind, TargetScope
from .opportunities import NOT_NEGATIVE


class RevenueTarget(TimestampedModel):
    """How much revenue should be won in one period (month, quarter or year), and by whom.

    `period_start` is the first day of the period; `scope_key` ("company", "team:3", "user:7",
    "industry:it", "region:Bayern") makes one target per scope and period unique on every
    database. Targets are set by managers and admins; members read the company's, their teams',
    their own and the segments' targets.
    """

    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default="quarter"
    )
    period_start = models.DateField(_("period start"), db_index=True)
    scope = models.CharField(_("for"), max_length=10, choices=TargetScope.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revenue_targets",
    )
    team = models.ForeignKey(
        "users.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revenue_targets",
    )
    industry = models.CharField(_("industry"), max_length=40, choices=Industry.choices, blank=True)
    region = models.CharField(_("region / state"), max_length=100, blank=True)
    scope_key = models.CharField(max_length=120, editable=False)
    amount = models.DecimalField(
        _("target amount"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("revenue target")
        verbose_name_plural = _("revenue targets")
        ordering = ["-period_start", "period_kind", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "scope_key"],
                name="pipeline_target_unique_scope_period",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=Decimal("0")),
                name="pipeline_target_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.scope_label} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("pipeline:revenuetarget_detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        if self.scope == TargetScope.USER and self.user_id:
            return str(self.user)
        if self.scope == TargetScope.TEAM and self.team_id:
            return str(self.team)
        if self.scope == TargetScope.INDUSTRY:
            return str(self.get_industry_display())
        if self.scope == TargetScope.REGION:
            return self.region
        return ""

    @property
    def period_label(self) -> str:
        return periods.period_label(self.period_kind, self.period_start)
