"""Trainings: the topic, capacity and registration deadline of a service appointment of kind
training, and who registered, waits, cancelled, attended or did not come."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.visibility import VisibleQuerySet

from .appointments import ServiceAppointment

DEFAULT_CAPACITY = 12


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


# registrations that hold a seat
SEATED = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)


class Training(models.Model):
    """The training facts of one appointment of kind training (each such appointment has one):
    what it teaches, how many seats it has and until when people may register. Visible and
    changeable exactly as its appointment."""

    appointment = models.OneToOneField(
        ServiceAppointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="training",
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True, db_index=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=DEFAULT_CAPACITY, validators=[MinValueValidator(1)]
    )
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    visibility_parent = "appointment"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-appointment__starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="servicedesk_training_capacity_min",
                violation_error_message=_("A training has at least one seat."),
            )
        ]

    def __str__(self) -> str:
        return self.topic or str(self.appointment)

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:training_detail", args=[self.pk])


class TrainingRegistration(models.Model):
    """One person's place at a training: registered (holds a seat), waitlisted (moves up when a
    seat frees), cancelled, attended or no-show (recorded afterwards)."""

    training = models.ForeignKey(
        Training,
        verbose_name=_("training"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
        db_index=True,
    )
    registered_at = models.DateTimeField(_("registered"), db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    visibility_parent = "training"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person"],
                name="servicedesk_registration_unique",
                violation_error_message=_("This person is registered for the training already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training}"

    def get_absolute_url(self) -> str:
        return self.training.get_absolute_url()
