"""What happened between us and our parties (interactions) and what we promised to do next (follow-ups)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel
from accord.parties.models import Organization, Person

from .choices import Direction, FollowUpStatus, InteractionKind


class Interaction(OwnedModel):
    """An email, call, meeting, visit, letter or note, with its participants on both sides."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=InteractionKind.choices, db_index=True
    )
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.OUTBOUND
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations"),
        blank=True,
        related_name="interactions",
        through="InteractionOrganization",
    )
    people = models.ManyToManyField(
        Person,
        verbose_name=_("their people"),
        blank=True,
        related_name="interactions",
        through="InteractionPerson",
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our participants"),
        blank=True,
        related_name="interactions",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["owner", "-occurred_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("interactions:interaction_detail", args=[self.pk])

    @classmethod
    def visibility_extra_q(cls, user: Any, prefix: str) -> Q:
        """Our users who took part in an interaction see it (a correlated EXISTS: a member's
        participations are many, an IN list of them would be built on every query)."""
        took_part = cls.users.through.objects.filter(
            user=user, interaction_id=OuterRef(f"{prefix}pk")
        )
        return Q(Exists(took_part))


class InteractionOrganization(models.Model):
    """Links an interaction to an organization; denormalises the time for a fast timeline."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    occurred_at = models.DateTimeField(db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "interaction"], name="interaction_org_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.interaction_id} ↔ organization {self.organization_id}"


class InteractionPerson(models.Model):
    """Links an interaction to one of their people; denormalises the time for a fast timeline."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    occurred_at = models.DateTimeField(db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "interaction"], name="interaction_person_unique"
            )
        ]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.interaction_id} ↔ person {self.person_id}"


class FollowUp(OwnedModel):
    """A task someone must do by a date, about an organization, a person or an interaction."""

    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    due_date = models.DateField(_("due"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interactions:followup_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_date < timezone.localdate()

    @classmethod
    def visibility_extra_q(cls, user: Any, prefix: str) -> Q:
        """The assignee sees the follow-up even when it belongs to another team."""
        return Q(**{f"{prefix}assignee": user})

    def change_extra(self, user: Any) -> bool:
        return self.assignee_id == user.pk
