"""Reads of trainings, visibility applied (a training is visible as its appointment): the list
with seats taken and waiting, a training's page with its registrations and the attendance list."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from accord.parties.models import Person

from ..models import RegistrationStatus, Training, TrainingRegistration
from ..models.trainings import SEATED


def training_list(user: Any) -> QuerySet[Any]:
    """Visible trainings with their appointment and organization, seats taken (`seats`) and
    people waiting (`waiting`)."""
    return (
        Training.objects.visible_to(user)
        .select_related(
            "appointment", "appointment__organization", "appointment__owner", "appointment__team"
        )
        .annotate(
            seats=Count("registrations", filter=Q(registrations__status__in=SEATED)),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
            attended=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED)
            ),
        )
    )


def training_detail(user: Any, training: Training) -> dict[str, Any]:
    """Registrations by status (people the user may not see are counted, not named)."""
    rows = list(
        TrainingRegistration.objects.filter(training=training)
        .select_related("person", "person__organization")
        .order_by("registered_at", "id")
    )
    visible = set(
        Person.objects.visible_to(user)
        .filter(pk__in=[r.person_id for r in rows])
        .values_list("pk", flat=True)
    )
    shown = [r for r in rows if r.person_id in visible]
    seated = [r for r in shown if r.status in SEATED]
    seats = sum(1 for r in rows if r.status in SEATED)
    return {
        "registrations": shown,
        "seated": seated,
        "waitlist": [r for r in shown if r.status == RegistrationStatus.WAITLISTED],
        "cancelled": [r for r in shown if r.status == RegistrationStatus.CANCELLED],
        "hidden_registrations": len(rows) - len(shown),
        "seats_taken": seats,
        "seats_free": max(0, training.capacity - seats),
        "attended_count": sum(1 for r in rows if r.status == RegistrationStatus.ATTENDED),
    }


def registration_list(user: Any, training: Training) -> QuerySet[TrainingRegistration]:
    return (
        TrainingRegistration.objects.visible_to(user)
        .filter(training=training)
        .select_related("person")
        .order_by("registered_at", "id")
    )
