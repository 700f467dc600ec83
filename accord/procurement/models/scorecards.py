"""Supplier scorecards: the criteria a supplier is rated on (with their weights and formula
parameters), the standings (score bands with what they mean for new orders) and the score
snapshots per supplier and period."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import TimestampedModel
from accord.core.visibility import VisibleQuerySet
from accord.intelligence.engine import periods

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class CriterionCode(models.TextChoices):
    """What a criterion measures; each has its own formula (`accord.intelligence.engine.scorecard`)."""

    ON_TIME = "on_time", _("On-time delivery")
    QUALITY = "quality", _("Quality (accepted share)")
    PRICE_VARIANCE = "price_variance", _("Price variance")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    OPEN_ISSUES = "open_issues", _("Open issues")


class StandingAction(models.TextChoices):
    """What a standing means for new purchase orders to the supplier."""

    NONE = "none", _("None")
    WARNING = "warning", _("Warn on new orders")
    BLOCK = "block", _("Block new orders")


class ScorePeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


# The shipped configuration: restored by the data migration and `restore_scorecard_configuration`.
DEFAULT_CRITERIA: list[dict] = [
    {"code": "on_time", "weight": Decimal("30"), "order": 10},
    {"code": "quality", "weight": Decimal("25"), "order": 20},
    {"code": "price_variance", "weight": Decimal("20"), "order": 30},
    {"code": "responsiveness", "weight": Decimal("15"), "order": 40},
    {"code": "open_issues", "weight": Decimal("10"), "order": 50},
]
DEFAULT_STANDINGS: list[dict] = [
    {"low": Decimal("0"), "high": Decimal("30"), "label": "Very poor", "action": "block"},
    {"low": Decimal("30"), "high": Decimal("50"), "label": "Poor", "action": "warning"},
    {"low": Decimal("50"), "high": Decimal("80"), "label": "Average", "action": "none"},
    {"low": Decimal("80"), "high": Decimal("100"), "label": "Excellent", "action": "none"},
]


class ScorecardCriterion(TimestampedModel):
    """One criterion of the supplier scorecard: what it measures (`code`), its weight in the total
    and the parameters of its formula. The weights of the active criteria should sum to 100 %;
    the computation normalises them either way."""

    code = models.CharField(
        _("criterion"), max_length=20, choices=CriterionCode.choices, unique=True
    )
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, default=Decimal("20"), validators=PERCENT
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    tolerance_percent = models.DecimalField(
        _("price tolerance (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "Price variance: charged as agreed is 100 points, this much above (or more) is 0."
        ),
    )
    target_hours = models.DecimalField(
        _("reply target (hours)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("24"),
        validators=NOT_NEGATIVE,
        help_text=_("Responsiveness: a median reply within this many hours is 100 points."),
    )
    limit_hours = models.DecimalField(
        _("reply limit (hours)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("120"),
        validators=NOT_NEGATIVE,
        help_text=_("Responsiveness: a median reply after this many hours (or more) is 0 points."),
    )
    issue_limit = models.PositiveSmallIntegerField(
        _("open issues limit"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Open issues: none is 100 points, this many (or more) is 0."),
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("scorecard criterion")
        verbose_name_plural = _("scorecard criteria")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="procurement_criterion_weight_0_100",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())

    def get_absolute_url(self) -> str:
        return reverse("procurement:scorecardcriterion_detail", args=[self.pk])


class ScorecardStanding(TimestampedModel):
    """A score band (from inclusive, to exclusive; 100 belongs to the top band), its label and
    what it means for new orders. The bands cover 0–100 without gaps or overlaps."""

    low = models.DecimalField(_("from score"), max_digits=5, decimal_places=2, validators=PERCENT)
    high = models.DecimalField(_("to score"), max_digits=5, decimal_places=2, validators=PERCENT)
    label = models.CharField(_("label"), max_length=60)
    action = models.CharField(
        _("on new orders"),
        max_length=10,
        choices=StandingAction.choices,
        default=StandingAction.NONE,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("scorecard standing")
        verbose_name_plural = _("scorecard standings")
        ordering = ["low", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.low:g}–{self.high:g})"

    def get_absolute_url(self) -> str:
        return reverse("procurement:scorecardstanding_detail", args=[self.pk])


class SupplierScore(TimestampedModel):
    """A supplier's scorecard for one month or quarter: the total, the standing it fell in and,
    per criterion, the measured value, its score and its weight (`criteria`, a list of
    {code, value, score, weight, effective_weight, basis}). Computed, never typed; visible to
    whoever may see the supplier."""

    visibility_parent = "supplier"

    supplier = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="supplier_scores",
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=ScorePeriod.choices, default=ScorePeriod.QUARTER
    )
    period_start = models.DateField(_("period start"))
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    standing = models.ForeignKey(
        ScorecardStanding,
        verbose_name=_("standing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scores",
    )
    standing_label = models.CharField(_("standing"), max_length=60, blank=True)
    standing_action = models.CharField(
        _("on new orders"), max_length=10, choices=StandingAction.choices, blank=True
    )
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    left_out = models.JSONField(
        _("criteria without data"),
        default=list,
        blank=True,
        help_text=_("Criteria without data in the period; their weight went to the others."),
    )
    computed_at = models.DateTimeField(_("computed"))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier score")
        verbose_name_plural = _("supplier scores")
        ordering = ["-period_start", "period_kind", "supplier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "period_kind", "period_start"],
                name="procurement_score_supplier_period",
            )
        ]
        indexes = [
            models.Index(
                fields=["period_kind", "period_start", "total"], name="procurement_score_rank"
            ),
            models.Index(fields=["supplier", "-period_start"], name="procurement_score_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return periods.period_label(self.period_kind, self.period_start)

    @property
    def period_end(self):
        return periods.period_end(self.period_kind, self.period_start)

    def get_absolute_url(self) -> str:
        return (
            reverse("procurement:supplier_scorecard", args=[self.supplier_id])
            + f"?period={self.period_kind}&start={self.period_start:%Y-%m-%d}"
        )
