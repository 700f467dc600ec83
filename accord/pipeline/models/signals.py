"""Market signals: industry trends and client feedback, for product development and sales."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel
from accord.parties.choices import Industry

from ..choices import SignalDirection, SignalKind


class MarketSignal(OwnedModel):
    """Something heard in the market: a trend or a client's feedback on a product area or topic,
    from whom it came, in which industry, and whether it is an opportunity, a threat or a request.
    A signal can be turned into an opportunity (`opportunity` then points to it)."""

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(
        _("topic / product area"),
        max_length=100,
        db_index=True,
        help_text=_("A product area or topic, e.g. “Predictive maintenance”."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SignalKind.choices, default="feedback"
    )
    direction = models.CharField(
        _("direction"), max_length=12, choices=SignalDirection.choices, default="opportunity"
    )
    industry = models.CharField(
        _("industry"), max_length=40, choices=Industry.choices, blank=True, db_index=True
    )
    observed_on = models.DateField(_("observed on"), default=timezone.localdate, db_index=True)
    note = models.TextField(_("note"), blank=True)
    organizations = models.ManyToManyField(
        "parties.Organization",
        verbose_name=_("organizations"),
        blank=True,
        related_name="market_signals",
    )
    people = models.ManyToManyField(
        "parties.Person", verbose_name=_("people"), blank=True, related_name="market_signals"
    )
    interactions = models.ManyToManyField(
        "interactions.Interaction",
        verbose_name=_("interactions"),
        blank=True,
        related_name="market_signals",
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        help_text=_("The opportunity this signal was turned into."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("market signal")
        verbose_name_plural = _("market signals")
        ordering = ["-observed_on", "-id"]
        indexes = [models.Index(fields=["topic", "observed_on"], name="pipeline_signal_trend")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pipeline:marketsignal_detail", args=[self.pk])
