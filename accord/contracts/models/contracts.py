"""Contracts with clients, suppliers and partners (both sides alike): term, renewal, notice period,
value, documents."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.commerce.models import CURRENCY_VALIDATOR, DEFAULT_CURRENCY
from accord.core.models import OwnedModel
from accord.core.visibility import VisibleQuerySet


class ContractSide(models.TextChoices):
    """Whether we sell (the counterparty is our client), buy (it is our supplier) or neither."""

    SELL = "sell", _("Client contract (we sell)")
    BUY = "buy", _("Supplier contract (we buy)")
    OTHER = "other", _("Other")


class ContractType(models.TextChoices):
    SUPPLY = "supply", _("Supply")
    SERVICE = "service", _("Service")
    FRAMEWORK = "framework", _("Framework agreement")
    NDA = "nda", _("Non-disclosure agreement")
    LICENCE = "licence", _("Licence")
    MAINTENANCE = "maintenance", _("Maintenance")
    OTHER = "other", _("Other")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


class NoticeUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class Contract(OwnedModel):
    """An agreement with a counterparty: what kind, how much, from when to when, whether it renews
    itself and how long before the end notice must be given. The key dates (current term end,
    notice deadline, renewal date) are computed by `selectors.contracts.contract_key_dates`."""

    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(
        _("contract number"), max_length=64, unique=True, null=True, blank=True
    )
    side = models.CharField(
        _("side"), max_length=8, choices=ContractSide.choices, default=ContractSide.SELL
    )
    counterparty = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("counterparty"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    counterparty_name = models.CharField(
        _("counterparty name"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The counterparty's name, kept by the services for full-text search."),
    )
    further_parties = models.ManyToManyField(
        "parties.Organization",
        verbose_name=_("further parties"),
        blank=True,
        related_name="contracts_as_party",
    )
    business_unit = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("our business unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit_contracts",
        limit_choices_to={"is_internal": True},
    )
    contract_type = models.CharField(
        _("type"), max_length=12, choices=ContractType.choices, default=ContractType.SERVICE
    )
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[CURRENCY_VALIDATOR]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty: open-ended.")
    )
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    renewal_term_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"), null=True, blank=True
    )
    notice_period = models.PositiveSmallIntegerField(_("notice period"), null=True, blank=True)
    notice_unit = models.CharField(
        _("notice period unit"), max_length=6, choices=NoticeUnit.choices, default=NoticeUnit.MONTHS
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContractStatus.choices,
        default=ContractStatus.ACTIVE,
        db_index=True,
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    purchase_orders = models.ManyToManyField(
        "procurement.PurchaseOrder",
        verbose_name=_("purchase orders"),
        blank=True,
        related_name="contracts",
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["status", "end_date"], name="contracts_status_end"),
            models.Index(fields=["counterparty", "status"], name="contracts_party_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.pk])


def contract_document_path(instance: ContractDocument, filename: str) -> str:
    return f"contracts/{instance.contract_id}/{filename}"


class ContractDocument(models.Model):
    """A file belonging to a contract (the signed contract, an annex); downloaded through a view
    that checks the contract's visibility, never from a public URL."""

    visibility_parent = "contract"

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=contract_document_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["contract", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:contractdocument_download", args=[self.pk])
