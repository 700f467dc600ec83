"""Suppliers: what is supplied (categories), the supplier profile of an organization (Kraljic
class, supply risk, qualification), the qualification questionnaire and the supplier's documents
(certificates, insurance, contracts) with their expiry dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel, TimestampedModel
from accord.core.visibility import VisibleQuerySet


class KraljicClass(models.TextChoices):
    """Kraljic's purchasing portfolio: spend (profit impact) against supply risk."""

    STRATEGIC = "strategic", _("Strategic")
    LEVERAGE = "leverage", _("Leverage")
    BOTTLENECK = "bottleneck", _("Bottleneck")
    NON_CRITICAL = "non_critical", _("Non-critical")


class QualificationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    APPROVED = "approved", _("Approved")
    CONDITIONAL = "conditional", _("Approved with conditions")
    BLOCKED = "blocked", _("Blocked")


class SupplierDocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    INSURANCE = "insurance", _("Insurance")
    CONTRACT = "contract", _("Contract")
    OTHER = "other", _("Other")


class SupplyCategory(TimestampedModel):
    """What is supplied (raw materials, electronics, logistics, …); also the cost category that
    budgets are planned in. Kept by admins and managers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("supply category")
        verbose_name_plural = _("supply categories")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplycategory_detail", args=[self.pk])


class SupplierProfile(OwnedModel):
    """What we know about an organization as a supplier or service provider: what it supplies, its
    place in the Kraljic portfolio (set by the user; a suggestion is computed from spend and supply
    risk), its supply risk and whether it is qualified to receive orders."""

    organization = models.OneToOneField(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="supplier_profile",
    )
    # the organization's name, kept by the services (search indexes the profile's own columns)
    name = models.CharField(_("name"), max_length=200, blank=True, editable=False, db_index=True)
    categories = models.ManyToManyField(
        SupplyCategory, verbose_name=_("categories"), blank=True, related_name="profiles"
    )
    kraljic_class = models.CharField(
        _("Kraljic class"),
        max_length=20,
        choices=KraljicClass.choices,
        blank=True,
        db_index=True,
        help_text=_("Your classification; Accord suggests one from spend and supply risk."),
    )
    supply_risk = models.PositiveSmallIntegerField(
        _("supply risk"),
        default=2,
        help_text=_("1 (easily replaced) to 5 (hardly replaceable); 3 and above count as high."),
    )
    qualification_status = models.CharField(
        _("qualification"),
        max_length=20,
        choices=QualificationStatus.choices,
        default=QualificationStatus.CANDIDATE,
        db_index=True,
    )
    qualification_note = models.TextField(_("qualification note"), blank=True)
    qualified_on = models.DateField(_("qualification date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        ordering = ["organization__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supply_risk__gte=1) & Q(supply_risk__lte=5),
                name="procurement_profile_risk_1_5",
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplierprofile_detail", args=[self.pk])


class QualificationQuestion(TimestampedModel):
    """One question of the supplier qualification questionnaire (configured by admins/managers).
    A profile becomes approved only when every active required question is answered."""

    text = models.CharField(_("question"), max_length=300)
    help = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("qualification question")
        verbose_name_plural = _("qualification questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("procurement:qualificationquestion_detail", args=[self.pk])


class QualificationAnswer(TimestampedModel):
    """A supplier's answer to one qualification question (text and/or yes/no); visible with the
    profile."""

    visibility_parent = "profile"

    profile = models.ForeignKey(
        SupplierProfile,
        verbose_name=_("supplier profile"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        QualificationQuestion,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    answer = models.TextField(_("answer"), blank=True)
    yes_no = models.BooleanField(_("yes / no"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("qualification answer")
        verbose_name_plural = _("qualification answers")
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "question"], name="procurement_answer_profile_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.question}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer.strip()) or self.yes_no is not None

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplierprofile_detail", args=[self.profile_id])


class SupplierDocument(TimestampedModel):
    """A certificate (ISO 9001, ISO 14001, …), insurance, contract or other document of a supplier,
    with its validity; reminders go to the profile's owner before it expires."""

    visibility_parent = "profile"

    profile = models.ForeignKey(
        SupplierProfile,
        verbose_name=_("supplier profile"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=SupplierDocumentKind.choices,
        default=SupplierDocumentKind.CERTIFICATE,
        db_index=True,
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("For example “ISO 9001:2015” or “Liability insurance”."),
    )
    file = models.FileField(
        _("file"), upload_to="procurement/documents/%Y/%m/", blank=True, max_length=300
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        ordering = ["valid_until", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplierprofile_detail", args=[self.profile_id])
