"""Trainings: their facts, registrations, the waitlist and attendance.

Capacity: a registration takes a seat while there is one; when the training is full the person is
put on the waitlist (status "waitlisted", in the order they came) and the caller tells the user
so. When a seat frees (a registration is cancelled, the capacity is raised) the first person on
the waitlist moves up. The capacity cannot be lowered below the seats taken (`capacity`).

Registering is refused (`person`) for a person the actor cannot see, a person registered already,
after the registration deadline and for a cancelled training. Attendance is recorded once the
training has started: the registered people checked are "attended", the others "no-show"; the
appointment is then done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Person

from ..models import (
    AppointmentKind,
    AppointmentStatus,
    RegistrationStatus,
    ServiceAppointment,
    Training,
    TrainingRegistration,
)
from ..models.trainings import DEFAULT_CAPACITY, SEATED

ATTENDANCE_STATUSES = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


def registrations_count(appointment: ServiceAppointment) -> int:
    """Registrations (not cancelled) of the appointment's training."""
    return (
        TrainingRegistration.objects.filter(training__appointment=appointment)
        .exclude(status=RegistrationStatus.CANCELLED)
        .count()
    )


def seats_taken(training: Training) -> int:
    return training.registrations.filter(status__in=SEATED).count()


def _check_training_values(values: Mapping[str, Any], training: Training | None) -> dict:
    errors: dict[str, str] = {}
    capacity = values.get("capacity")
    if capacity is not None:
        try:
            capacity = int(capacity)
        except (TypeError, ValueError):
            return {"capacity": _("Enter a whole number of seats.")}
        if capacity < 1:
            errors["capacity"] = _("A training has at least one seat.")
        elif training is not None and training.pk:
            taken = seats_taken(training)
            if capacity < taken:
                errors["capacity"] = _(
                    "%(taken)d seats are taken; cancel registrations first or keep at least "
                    "%(taken)d seats."
                ) % {"taken": taken}
    return errors


def training_sync(*, actor: Any, appointment: ServiceAppointment, data: Mapping[str, Any]) -> None:
    """Give an appointment of kind training its training (defaults: the title as topic,
    `DEFAULT_CAPACITY` seats) and apply `topic`, `capacity`, `registration_deadline`; remove the
    training of an appointment that is no training any more (when nobody is registered)."""
    values = {k: v for k, v in data.items() if k in ("topic", "capacity", "registration_deadline")}
    if "topic" in values:
        values["topic"] = str(values["topic"] or "").strip()
    if values.get("capacity") in (None, ""):
        values.pop("capacity", None)
    training = Training.objects.filter(appointment=appointment).first()
    if appointment.kind != AppointmentKind.TRAINING:
        if training is not None and not registrations_count(appointment):
            core.model_delete(training, actor=None)
        return
    errors = _check_training_values(values, training)
    if errors:
        raise ValidationError(errors)
    if training is None:
        values.setdefault("topic", appointment.title)
        values.setdefault("capacity", DEFAULT_CAPACITY)
        core.model_create(Training, actor=actor, data={"appointment": appointment, **values})
        return
    if values:
        training_update(actor=actor, instance=training, data=values)


def training_create(*, actor: Any, data: Mapping[str, Any]) -> Training:
    """Create an appointment of kind training with its training facts, in one transaction."""
    from .appointments import appointment_create

    data = {**data, "kind": AppointmentKind.TRAINING}
    with transaction.atomic():
        appointment = appointment_create(actor=actor, data=data)
        return Training.objects.get(appointment=appointment)


def training_update(*, actor: Any, instance: Training, data: Mapping[str, Any]) -> Training:
    """Change topic, capacity or deadline; appointment fields in `data` go to the appointment.
    A raised capacity moves people up from the waitlist."""
    from .appointments import appointment_update

    core.require_change(actor, instance)
    data = dict(data)
    own: dict[str, Any] = {
        k: data.pop(k) for k in ("topic", "capacity", "registration_deadline") if k in data
    }
    data.pop("kind", None)
    if "topic" in own:
        own["topic"] = str(own["topic"] or "").strip()
    if own.get("capacity") in (None, ""):
        own.pop("capacity", None)
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=instance.pk)
        errors = _check_training_values(own, locked)
        appointment_errors: dict[str, Any] = {}
        if data:
            try:
                appointment_update(actor=actor, instance=locked.appointment, data=data)
            except ValidationError as exc:
                appointment_errors = exc.message_dict
        if errors or appointment_errors:
            raise ValidationError({**appointment_errors, **errors})
        if own:
            core.model_update(locked, actor=actor, data=own)
        promote_waitlisted(locked)
        instance.refresh_from_db()
        return instance


def training_delete(*, actor: Any, instance: Training) -> None:
    """Delete the training's appointment (and with it the training and its registrations)."""
    core.model_delete(instance.appointment, actor=actor)


# --- registrations ------------------------------------------------------------------------------
def promote_waitlisted(training: Training) -> list[TrainingRegistration]:
    """Move people up from the waitlist while seats are free; returns those moved up."""
    free = training.capacity - seats_taken(training)
    moved: list[TrainingRegistration] = []
    if free <= 0:
        return moved
    waiting = training.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "registered_at", "id"
    )[:free]
    for registration in waiting:
        core.model_update(registration, actor=None, data={"status": RegistrationStatus.REGISTERED})
        moved.append(registration)
    return moved


def registration_create(
    *,
    actor: Any,
    training: Training,
    person: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> TrainingRegistration:
    """Register a person: a seat if one is free, else the waitlist (see `status` of the result).
    A cancelled registration of the same person is taken up again."""
    core.require_write(actor)
    core.require_change(actor, training)
    now = now or timezone.now()
    person_pk = getattr(person, "pk", person)
    people = Person.objects.all() if actor is None else Person.objects.visible_to(actor)
    found = people.filter(pk=person_pk).first() if str(person_pk).isdigit() else None
    if found is None:
        raise ValidationError({"person": _("Choose a person you can see.")})
    with transaction.atomic():
        locked = (
            Training.objects.select_for_update().select_related("appointment").get(pk=training.pk)
        )
        appointment = locked.appointment
        if appointment.status == AppointmentStatus.CANCELLED:
            raise ValidationError({"person": _("The training was cancelled.")})
        deadline = locked.registration_deadline
        if deadline is not None and timezone.localdate(now) > deadline:
            raise ValidationError(
                {
                    "person": _("Registration closed on %(date)s.")
                    % {"date": formats.date_format(deadline, "SHORT_DATE_FORMAT")}
                }
            )
        existing = locked.registrations.filter(person=found).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            raise ValidationError(
                {
                    "person": _("%(person)s is already on the list (%(status)s).")
                    % {"person": found.full_name, "status": existing.get_status_display()}
                }
            )
        status = (
            RegistrationStatus.REGISTERED
            if seats_taken(locked) < locked.capacity
            else RegistrationStatus.WAITLISTED
        )
        values = {
            "status": status,
            "registered_at": now,
            "note": str(note or "").strip()[:300],
        }
        if existing is not None:
            return core.model_update(existing, actor=actor, data=values)
        return core.model_create(
            TrainingRegistration,
            actor=actor,
            data={"training": locked, "person": found, **values},
        )


def registration_cancel(
    *, actor: Any, registration: TrainingRegistration
) -> TrainingRegistration | None:
    """Cancel a registration; returns the registration moved up from the waitlist, if any."""
    core.require_change(actor, registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=registration.training_id)
        core.model_update(registration, actor=actor, data={"status": RegistrationStatus.CANCELLED})
        moved = promote_waitlisted(training)
        return moved[0] if moved else None


def training_record_attendance(
    *,
    actor: Any,
    training: Training,
    attended: Iterable[Any],
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Mark the checked people (person ids) as attended and the other registered ones as
    no-show; the appointment becomes done. Returns the counts."""
    core.require_change(actor, training)
    now = now or timezone.now()
    appointment = training.appointment
    if appointment.starts_at > now:
        raise ValidationError(
            {"attended": _("Attendance can be recorded once the training has started.")}
        )
    if appointment.status == AppointmentStatus.CANCELLED:
        raise ValidationError({"attended": _("The training was cancelled.")})
    wanted = {int(getattr(p, "pk", p)) for p in attended if str(getattr(p, "pk", p)).isdigit()}
    with transaction.atomic():
        rows = list(
            training.registrations.select_for_update().filter(status__in=ATTENDANCE_STATUSES)
        )
        listed = {r.person_id for r in rows}
        unknown = wanted - listed
        if unknown:
            raise ValidationError(
                {"attended": _("Only people with a seat at the training can be marked present.")}
            )
        counts = {"attended": 0, "no_show": 0}
        for registration in rows:
            status = (
                RegistrationStatus.ATTENDED
                if registration.person_id in wanted
                else RegistrationStatus.NO_SHOW
            )
            counts["attended" if status == RegistrationStatus.ATTENDED else "no_show"] += 1
            if registration.status != status:
                core.model_update(registration, actor=actor, data={"status": status})
        if appointment.status != AppointmentStatus.DONE:
            core.model_update(appointment, actor=actor, data={"status": AppointmentStatus.DONE})
        return counts
