"""Competitors: a profile on organizations with the competitor role, and where they are present."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import TimestampedModel
from accord.core.visibility import VisibleQuerySet

from ..choices import CompetitorStatus, PricePosition


class CompetitorProfile(TimestampedModel):
    """What we know about a competitor: its products, strengths, weaknesses and price position."""

    visibility_parent = "organization"

    organization = models.OneToOneField(
        "parties.Organization",
        verbose_name=_("competitor"),
        on_delete=models.CASCADE,
        related_name="competitor_profile",
    )
    products = models.TextField(_("products"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    price_position = models.CharField(
        _("price position"), max_length=20, choices=PricePosition.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("competitor profile")
        verbose_name_plural = _("competitor profiles")
        ordering = ["organization__name", "id"]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        # the competitor's page is the organization's (it exists before any profile does)
        return reverse("pipeline:competitor_detail", args=[self.organization_id])


class OpportunityCompetitor(TimestampedModel):
    """A competitor in the running for one opportunity (visible with the opportunity)."""

    visibility_parent = "opportunity"

    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="competitors",
    )
    competitor = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("competitor"),
        on_delete=models.CASCADE,
        related_name="opportunity_presences",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CompetitorStatus.choices, default="shortlisted"
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("competitor on opportunity")
        verbose_name_plural = _("competitors on opportunities")
        ordering = ["opportunity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "competitor"], name="pipeline_opp_competitor_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competitor} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.opportunity.get_absolute_url()


class AccountCompetitor(TimestampedModel):
    """A competitor present at a client account (visible with the account)."""

    visibility_parent = "account"

    account = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("client account"),
        on_delete=models.CASCADE,
        related_name="competitors_present",
    )
    competitor = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("competitor"),
        on_delete=models.CASCADE,
        related_name="account_presences",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CompetitorStatus.choices, default="incumbent"
    )
    since = models.DateField(_("since"), null=True, blank=True)
    products = models.CharField(_("their products there"), max_length=300, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("competitor at account")
        verbose_name_plural = _("competitors at accounts")
        ordering = ["account", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "competitor"], name="pipeline_account_competitor_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competitor} @ {self.account} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.account.get_absolute_url()
