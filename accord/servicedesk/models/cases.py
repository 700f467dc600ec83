"""Cases: a client's problem or request, handled by the service desk under a service level.

A case belongs to one client organization (and perhaps a person there), has a priority and a
status, and carries its service-level clock: the due times of the first response and of the
resolution, in business hours of the team's service hours. The clock rules (in
`services.cases`): the resolution clock stops while the case is *waiting on client* or
*resolved*; the first-response clock never stops. The due times are stored, recomputed on every
write, so lists can filter "at risk" and "breached" in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel, TimestampedModel

from .servicelevels import CaseCategory, CasePriority, ServiceLevelPolicy


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on client")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# statuses in which the resolution clock runs; in which a case counts as open (not done)
RUNNING_STATUSES = (CaseStatus.NEW, CaseStatus.OPEN)
OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)


class BreachKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class Case(OwnedModel):
    """A client's problem or request with its service-level clock and conversation."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        CaseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=CasePriority.choices,
        default=CasePriority.NORMAL,
        db_index=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    product = models.ForeignKey(
        "commerce.Product",
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    order = models.ForeignKey(
        "commerce.Order",
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # --- the service-level clock (kept by the services) ---
    policy = models.ForeignKey(
        ServiceLevelPolicy,
        verbose_name=_("service-level policy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    first_response_due_at = models.DateTimeField(
        _("first response due"), null=True, blank=True, editable=False
    )
    first_response_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_due_at = models.DateTimeField(
        _("resolution due"), null=True, blank=True, editable=False
    )
    resolution_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_since = models.DateTimeField(
        _("clock paused since"), null=True, blank=True, editable=False
    )
    paused_seconds = models.PositiveIntegerField(
        _("business seconds paused"), default=0, editable=False
    )
    first_response_seconds = models.PositiveIntegerField(
        _("business seconds to first response"), null=True, blank=True, editable=False
    )
    resolution_seconds = models.PositiveIntegerField(
        _("business seconds to resolution"), null=True, blank=True, editable=False
    )

    interactions = models.ManyToManyField(
        "interactions.Interaction",
        verbose_name=_("conversation"),
        blank=True,
        related_name="cases",
    )

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "first_response_warn_at",
            "resolution_warn_at",
            "paused_seconds",
        ]
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "opened_at"], name="servicedesk_case_status"),
            models.Index(fields=["organization", "status"], name="servicedesk_case_org"),
            models.Index(fields=["resolved_at"], name="servicedesk_case_resolved"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseNote(TimestampedModel):
    """An internal note on a case (never shown to the client)."""

    visibility_parent = "case"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class CaseBreach(models.Model):
    """A missed target of a case: which one, when it was due (the breach moment) and when the
    breach was recorded (by the periodic check or a status change). At most one per kind."""

    visibility_parent = "case"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="breaches"
    )
    kind = models.CharField(_("target"), max_length=20, choices=BreachKind.choices)
    breached_at = models.DateTimeField(_("breached at"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("service-level breach")
        verbose_name_plural = _("service-level breaches")
        ordering = ["breached_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="servicedesk_breach_case_kind")
        ]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.get_kind_display()}"


__all__ = [
    "CaseStatus",
    "RUNNING_STATUSES",
    "OPEN_STATUSES",
    "BreachKind",
    "Case",
    "CaseNote",
    "CaseBreach",
]
