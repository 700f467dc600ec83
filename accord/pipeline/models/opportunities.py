"""Pipelines with their stages, opportunities with their lines, and every stage change."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.commerce.models import CURRENCY_VALIDATOR, DEFAULT_CURRENCY
from accord.core.models import OwnedModel
from accord.core.visibility import VisibleQuerySet

from ..choices import OpportunitySource, StageKind

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Pipeline(models.Model):
    """A sales process with its own stages, e.g. "New business" or "Renewals"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """One step of a pipeline; won and lost stages are terminal, commit stages count as committed
    in the forecast."""

    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("default probability"), default=0, validators=PERCENT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StageKind.choices, default="open")
    is_commit = models.BooleanField(_("commit stage"), default=False)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="pipeline_stage_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.kind != StageKind.OPEN


class LostReason(models.Model):
    """Why a deal was lost; the list is configured by administrators."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Opportunity(OwnedModel):
    """A possible sale to an organization: amount, stage, probability, expected close."""

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    title = models.CharField(_("title"), max_length=200)
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability"),
        validators=PERCENT,
        blank=True,
        help_text=_("Per cent; left empty: the stage's default."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=OpportunitySource.choices, blank=True
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_date = models.DateField(_("next step date"), null=True, blank=True)
    lost_reason = models.ForeignKey(
        LostReason,
        verbose_name=_("lost reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    won_competitor = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("lost to competitor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close_date", "id"]
        indexes = [
            models.Index(fields=["pipeline", "stage"], name="pipeline_opp_stage"),
            models.Index(fields=["expected_close_date"], name="pipeline_opp_close"),
            # the list's order with the visibility columns inside the index: a member's page and
            # its capped count walk the index alone, without sorting the visible rows
            models.Index(
                fields=["expected_close_date", "id", "owner", "team"],
                name="pipeline_opp_list_order",
            ),
            # the board: per stage, the recently closed (won/lost columns) or those closing
            # soonest (open columns), for totals and cards alike
            models.Index(
                fields=["stage", "closed_at", "expected_close_date"], name="pipeline_opp_board"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="pipeline_opp_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=100),
                name="pipeline_opp_probability_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pipeline:opportunity_detail", args=[self.pk])


class OpportunityLine(models.Model):
    """A product on an opportunity: quantity, unit price (the list price unless changed), discount."""

    visibility_parent = "opportunity"

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "commerce.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    discount = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity line")
        verbose_name_plural = _("opportunity lines")
        ordering = ["opportunity", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    def get_absolute_url(self) -> str:
        return self.opportunity.get_absolute_url()

    @property
    def total(self) -> Decimal:
        gross = self.quantity * self.unit_price
        return (gross * (Decimal("100") - self.discount) / Decimal("100")).quantize(Decimal("0.01"))


class StageChange(models.Model):
    """An opportunity moved from one stage to another: so we know how long deals sit in each."""

    visibility_parent = "opportunity"

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.ForeignKey(
        Stage,
        verbose_name=_("from stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("to stage"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["opportunity", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"
