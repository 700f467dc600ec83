"""Community and authorities: stakeholder projects, assessments over time, engagement plans,
concerns raised by the community and public consultations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel
from accord.core.visibility import VisibleQuerySet
from accord.intelligence.engine import salience as engine
from accord.interactions.choices import InteractionKind

from ..choices import (
    CONCERN_ORDER,
    OPEN_CONCERN_STATUSES,
    Attitude,
    ConcernStatus,
    ConsultationKind,
    EngagementLevel,
    Salience,
    StakeholderCategory,
)

RATING = [MinValueValidator(1), MaxValueValidator(5)]
DEFAULT_RESPONSE_DAYS = 14


def response_days() -> int:
    """Days the community is promised an answer in (setting `ACCORD_CONCERN_RESPONSE_DAYS`)."""
    return int(getattr(settings, "ACCORD_CONCERN_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


class StakeholderMixin(models.Model):
    """An organization or a person (exactly one): whom an assessment or plan is about."""

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def stakeholder(self):
        return self.organization if self.organization_id else self.person

    @property
    def stakeholder_name(self) -> str:
        party = self.stakeholder
        if party is None:
            return ""
        return getattr(party, "name", None) or str(party)


def _one_stakeholder(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(organization__isnull=False) & Q(person__isnull=True))
        | (Q(organization__isnull=True) & Q(person__isnull=False)),
        name=name,
    )


class StakeholderProject(OwnedModel):
    """A project or topic the company needs the community's goodwill for, e.g. "Erweiterung Werk
    Nord": its stakeholders are assessed, engaged and heard per project."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(
        _("area / location"),
        max_length=200,
        blank=True,
        help_text=_("Where it happens, e.g. “Gewerbegebiet Nord, Flurstück 112”."),
    )
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    response_days = models.PositiveSmallIntegerField(
        _("response time (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days to answer a concern of this project; empty: the default (14)."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("stakeholder project")
        verbose_name_plural = _("stakeholder projects")
        ordering = ["-is_active", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:stakeholderproject_detail", args=[self.pk])


class StakeholderAssessment(StakeholderMixin, OwnedModel):
    """How an organization or a person stands towards a project (or in general) on one day:
    power, interest, legitimacy, urgency and attitude. Each re-assessment is a new row; the
    latest per stakeholder and project is the current one (`is_current`, kept by the services).
    The salience class is computed from power, legitimacy and urgency when the row is saved."""

    project = models.ForeignKey(
        StakeholderProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=StakeholderCategory.choices,
        default=StakeholderCategory.OTHER,
        db_index=True,
    )
    power = models.PositiveSmallIntegerField(_("power"), validators=RATING, default=3)
    interest = models.PositiveSmallIntegerField(_("interest"), validators=RATING, default=3)
    legitimacy = models.BooleanField(_("legitimacy"), default=False)
    urgency = models.BooleanField(_("urgency"), default=False)
    attitude = models.CharField(
        _("attitude"), max_length=20, choices=Attitude.choices, default=Attitude.NEUTRAL
    )
    salience = models.CharField(
        _("salience"), max_length=20, choices=Salience.choices, editable=False, db_index=True
    )
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate, db_index=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    is_current = models.BooleanField(_("current"), default=True, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("stakeholder assessment")
        verbose_name_plural = _("stakeholder assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [_one_stakeholder("community_assessment_one_stakeholder")]
        indexes = [
            models.Index(
                fields=["organization", "project", "assessed_on"], name="community_assess_org"
            ),
            models.Index(
                fields=["person", "project", "assessed_on"], name="community_assess_person"
            ),
            models.Index(fields=["project", "is_current"], name="community_assess_current"),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_name} · {self.assessed_on}"

    def save(self, *args, **kwargs) -> None:
        self.salience = engine.salience_class(self.power, self.legitimacy, self.urgency)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("community:stakeholderassessment_detail", args=[self.pk])

    @property
    def quadrant(self) -> str:
        return engine.quadrant(self.power, self.interest)

    def get_quadrant_display(self) -> str:
        from ..choices import Quadrant

        return str(Quadrant(self.quadrant).label)

    @property
    def attitude_score(self) -> int:
        return engine.attitude_score(self.attitude)


class EngagementPlan(StakeholderMixin, OwnedModel):
    """How far we want to engage an organization or person (target level) from where they are
    (current level), for a project, with planned interactions and a review date."""

    project = models.ForeignKey(
        StakeholderProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagement_plans",
    )
    current_level = models.CharField(
        _("current engagement"),
        max_length=12,
        choices=EngagementLevel.choices,
        default=EngagementLevel.NEUTRAL,
    )
    target_level = models.CharField(
        _("target engagement"),
        max_length=12,
        choices=EngagementLevel.choices,
        default=EngagementLevel.SUPPORTIVE,
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("engagement plan")
        verbose_name_plural = _("engagement plans")
        ordering = ["next_review_on", "id"]
        constraints = [_one_stakeholder("community_plan_one_stakeholder")]

    def __str__(self) -> str:
        project = f" · {self.project}" if self.project_id else ""
        return f"{self.stakeholder_name}{project}"

    def get_absolute_url(self) -> str:
        return reverse("community:engagementplan_detail", args=[self.pk])

    @property
    def gap(self) -> int:
        """Steps from the current to the target level (positive: still to go)."""
        return engine.engagement_gap(self.current_level, self.target_level)


class PlannedEngagement(models.Model):
    """One planned contact of an engagement plan; done when the interaction took place."""

    visibility_parent = "plan"

    plan = models.ForeignKey(
        EngagementPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    planned_on = models.DateField(_("planned on"), db_index=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=InteractionKind.choices, default=InteractionKind.MEETING
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    done = models.BooleanField(_("done"), default=False)
    interaction = models.ForeignKey(
        "interactions.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned engagement")
        verbose_name_plural = _("planned engagements")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return f"{self.planned_on} · {self.purpose}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


class Consultation(OwnedModel):
    """A public meeting, hearing or consultation round: the interactions held there and the
    concerns raised there."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=14,
        choices=ConsultationKind.choices,
        default=ConsultationKind.PUBLIC_MEETING,
    )
    project = models.ForeignKey(
        StakeholderProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    starts_on = models.DateField(_("date"), db_index=True)
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For a round over several days.")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    interactions = models.ManyToManyField(
        "interactions.Interaction",
        verbose_name=_("interactions"),
        blank=True,
        related_name="consultations",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:consultation_detail", args=[self.pk])


class Concern(OwnedModel):
    """A concern the community raised (a complaint, an objection, a question) about a project:
    its status moves only forward (received → acknowledged → in progress → resolved → closed; a
    resolved concern may be reopened with a reason), and an answer is due by `response_due_on`."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        StakeholderProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("raised at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConcernStatus.choices,
        default=ConcernStatus.RECEIVED,
        db_index=True,
    )
    response_due_on = models.DateField(_("response due"), null=True, blank=True, db_index=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    commitments = models.ManyToManyField(
        "contracts.Commitment",
        verbose_name=_("commitments made"),
        blank=True,
        related_name="concerns",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "response_due_on"], name="community_concern_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:concern_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CONCERN_STATUSES

    def is_overdue_on(self, day: dt.date) -> bool:
        """No answer yet and the response deadline passed."""
        return bool(
            self.responded_on is None
            and self.response_due_on is not None
            and self.response_due_on < day
            and self.is_open
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def status_index(self) -> int:
        return CONCERN_ORDER.index(self.status)
