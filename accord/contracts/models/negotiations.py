"""Negotiations with clients, suppliers, authorities and partners, round by round."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel
from accord.core.visibility import VisibleQuerySet


class NegotiationKind(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASE = "purchase", _("Purchase")
    AUTHORITY = "authority", _("Authority / permit")
    PARTNERSHIP = "partnership", _("Partnership")
    OTHER = "other", _("Other")


class NegotiationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AGREED = "agreed", _("Won / agreed")
    BROKEN_OFF = "broken_off", _("Lost / broken off")
    ABANDONED = "abandoned", _("Abandoned")


CLOSED_STATUSES = (
    NegotiationStatus.AGREED,
    NegotiationStatus.BROKEN_OFF,
    NegotiationStatus.ABANDONED,
)


class OfferedBy(models.TextChoices):
    US = "us", _("Us")
    THEM = "them", _("Them")


class Negotiation(OwnedModel):
    """A negotiation with one counterparty (a client, supplier, partner or authority): what we
    want (goal, target value) and where we would walk away, the rounds of offers, the outcome and
    why. The owner is the negotiator. Concessions we gave as promises are commitments
    (`contracts.Commitment`), linked here."""

    title = models.CharField(_("title"), max_length=200)
    counterparty = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("counterparty"),
        on_delete=models.PROTECT,
        related_name="negotiations",
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=NegotiationKind.choices,
        default=NegotiationKind.SALES,
        db_index=True,
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="negotiations",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="negotiations",
    )
    purchase_order = models.ForeignKey(
        "procurement.PurchaseOrder",
        verbose_name=_("purchase order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="negotiations",
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate, db_index=True)
    goal = models.TextField(_("our goal"), blank=True)
    target_value = models.DecimalField(
        _("target price / value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The price or value we aim for."),
    )
    walk_away_value = models.DecimalField(
        _("walk-away point"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The price or value beyond which we would rather not agree."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NegotiationStatus.choices,
        default=NegotiationStatus.OPEN,
        db_index=True,
    )
    outcome_reason = models.TextField(_("outcome / reason"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    commitments = models.ManyToManyField(
        "contracts.Commitment",
        verbose_name=_("commitments made"),
        blank=True,
        related_name="negotiations",
        help_text=_("Concessions we gave as promises."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["counterparty", "started_on"], name="contracts_neg_party"),
            models.Index(fields=["owner", "started_on"], name="contracts_neg_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("started_on")),
                name="contracts_negotiation_closed_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:negotiation_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class NegotiationRound(models.Model):
    """One round of a negotiation: who made the offer, when, on which terms (price, volume,
    term, payment terms, service level, other terms) and what each side conceded."""

    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("negotiation"),
        on_delete=models.CASCADE,
        related_name="rounds",
    )
    number = models.PositiveSmallIntegerField(_("round"))
    date = models.DateField(_("date"), default=timezone.localdate)
    offered_by = models.CharField(
        _("offered by"), max_length=4, choices=OfferedBy.choices, default=OfferedBy.US
    )
    price = models.DecimalField(
        _("price / value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    volume = models.DecimalField(
        _("volume"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    payment_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), null=True, blank=True
    )
    service_level = models.CharField(_("service level"), max_length=200, blank=True)
    other_terms = models.TextField(_("other terms"), blank=True)
    concessions_ours = models.TextField(_("concessions made by us"), blank=True)
    concessions_theirs = models.TextField(_("concessions made by them"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    visibility_parent = "negotiation"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")
        ordering = ["negotiation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "number"], name="contracts_negotiation_round_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} · {self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.negotiation.get_absolute_url()}#round-{self.number}"
