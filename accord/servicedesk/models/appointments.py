"""Service appointments (trainings, maintenance, visits, onboardings) and the recurring schedules
that generate them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel


class AppointmentKind(models.TextChoices):
    TRAINING = "training", _("Training")
    MAINTENANCE = "maintenance", _("Maintenance")
    VISIT = "visit", _("Visit")
    ONBOARDING = "onboarding", _("Onboarding")
    OTHER = "other", _("Other")


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# generated appointments in these states may still be replaced when their schedule changes
OPEN_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.PLANNED)


class ServiceSchedule(OwnedModel):
    """A recurring service for one organization (e.g. maintenance every six months): a recurrence
    rule (RRULE text), the first start, an optional end (a last day or a number of occurrences),
    the duration and the default attendees. A daily job generates its appointments for the next
    days (`services.appointments.schedule_generate`), once per occurrence."""

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="service_schedules",
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=AppointmentKind.choices,
        default=AppointmentKind.MAINTENANCE,
    )
    title = models.CharField(_("title"), max_length=200)
    rule = models.CharField(
        _("recurrence rule"),
        max_length=250,
        help_text=_("An iCalendar RRULE, e.g. FREQ=MONTHLY;INTERVAL=6 (every six months)."),
    )
    starts_at = models.DateTimeField(_("first start"))
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(
        _("number of appointments"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=120,
        validators=[MinValueValidator(5), MaxValueValidator(60 * 24 * 14)],
    )
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A paused schedule generates no appointments.")
    )
    people = models.ManyToManyField(
        "parties.Person",
        verbose_name=_("their people"),
        blank=True,
        related_name="service_schedules",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our staff"),
        blank=True,
        related_name="service_schedules",
    )
    generated_until = models.DateTimeField(
        _("generated until"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "generated_until"])

    class Meta:
        verbose_name = _("service schedule")
        verbose_name_plural = _("service schedules")
        ordering = ["organization__name", "title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:serviceschedule_detail", args=[self.pk])


class ServiceAppointment(OwnedModel):
    """A dated service for one organization: a training, a maintenance, a visit, an onboarding;
    who comes (their people, our staff), where (a place or an online link), its status and
    outcome. Generated appointments point to their schedule and the occurrence they stand for;
    one changed by hand (`edited`) is never replaced when the schedule changes."""

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="service_appointments",
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=AppointmentKind.choices,
        default=AppointmentKind.VISIT,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
        db_index=True,
    )
    outcome = models.TextField(_("outcome notes"), blank=True)
    people = models.ManyToManyField(
        "parties.Person",
        verbose_name=_("their people"),
        blank=True,
        related_name="service_appointments",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our staff"),
        blank=True,
        related_name="service_appointments",
    )
    schedule = models.ForeignKey(
        ServiceSchedule,
        verbose_name=_("schedule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    occurrence_start = models.DateTimeField(
        _("occurrence"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The start the schedule gave this appointment."),
    )
    edited = models.BooleanField(
        _("changed by hand"),
        default=False,
        editable=False,
        help_text=_("A generated appointment changed by hand; its schedule no longer replaces it."),
    )
    requested_by_portal = models.BooleanField(_("requested in the portal"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service appointment")
        verbose_name_plural = _("service appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at"], name="servicedesk_appt_starts"),
            models.Index(fields=["organization", "starts_at"], name="servicedesk_appt_org"),
            models.Index(fields=["owner", "starts_at"], name="servicedesk_appt_owner"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "occurrence_start"],
                condition=Q(schedule__isnull=False, occurrence_start__isnull=False),
                name="servicedesk_appt_occurrence_unique",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="servicedesk_appt_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:serviceappointment_detail", args=[self.pk])

    @classmethod
    def visibility_extra_q(cls, user: Any, prefix: str) -> Q:
        """Our staff at an appointment see it, whichever team owns it."""
        took_part = cls.staff.through.objects.filter(
            user=user, serviceappointment_id=OuterRef(f"{prefix}pk")
        )
        return Q(Exists(took_part))
