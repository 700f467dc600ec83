"""One ledger of promises: obligations under contracts and standalone commitments (a promise to a
municipality at a public meeting, a concession in a negotiation)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel


class CommitmentSide(models.TextChoices):
    OURS = "ours", _("Ours (we promised)")
    THEIRS = "theirs", _("Theirs (they promised)")


class CommitmentKind(models.TextChoices):
    DELIVERABLE = "deliverable", _("Deliverable")
    SERVICE_LEVEL = "service_level", _("Service level")
    PAYMENT = "payment", _("Payment")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    MISSED = "missed", _("Missed")
    WAIVED = "waived", _("Waived")


OPEN_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)


class Commitment(OwnedModel):
    """A promise made by us or to us: under a contract, or standalone towards an organization or a
    person. Overdue: still open or in progress after its due date. Whoever sees the contract sees
    its commitments too."""

    side = models.CharField(
        _("side"), max_length=6, choices=CommitmentSide.choices, default=CommitmentSide.OURS
    )
    kind = models.CharField(
        _("kind"), max_length=14, choices=CommitmentKind.choices, default=CommitmentKind.DELIVERABLE
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
        db_index=True,
    )
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the promise was made, e.g. “Bürgerversammlung 12.3.”."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="commitments_status_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:commitment_detail", args=[self.pk])

    @classmethod
    def visibility_extra_q(cls, user: Any, prefix: str) -> Q:
        from accord.core.visibility import visibility_q

        from .contracts import Contract

        return visibility_q(Contract, user, prefix=f"{prefix}contract__") & Q(
            **{f"{prefix}contract__isnull": False}
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())
