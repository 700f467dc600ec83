"""Service appointments and recurring service schedules.

Rules (each refused with a message naming the field, nothing half-written):

* the organization must be one the actor may see; the title is required;
* an appointment ends after it starts (`ends_at`); it cannot be done before it started (`status`);
* their people must be people the actor may see who work at the organization (a current
  position there); our staff must be active users;
* a schedule's rule is an RRULE that `dateutil` reads and that occurs at least once (`rule`), with
  its end as a last day (`until`, not before the first start) or a number (`count`), not both.

Generation (`schedule_generate`, the daily job `servicedesk.generate_appointments`): every active
schedule has its occurrences of the next `HORIZON_DAYS` days as appointments, one per occurrence
(unique on schedule + occurrence start), so running it again creates nothing new. The job extends
from where the last run stopped (`generated_until`), so a generated appointment someone deleted is
not created again. Editing a schedule re-plans the window from now on: future generated
appointments that are still requested or planned and were not changed by hand are updated to the
schedule's values, deleted when their occurrence is gone, and missing ones are created; past,
confirmed, done, cancelled and hand-changed ones are left alone.

An appointment of kind training always has its `Training` (topic, capacity, registration
deadline: `services.trainings`); the keys `topic`, `capacity` and `registration_deadline` in the
data of an appointment of kind training go there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.parties.models import Organization, Person, Position

from .. import recurrence
from ..models import (
    AppointmentKind,
    AppointmentStatus,
    ServiceAppointment,
    ServiceSchedule,
)
from ..models.appointments import OPEN_STATUSES

HORIZON_DAYS = getattr(settings, "ACCORD_SERVICE_HORIZON_DAYS", 90)
TRAINING_KEYS = ("topic", "capacity", "registration_deadline")
TEXT_FIELDS = ("title", "location", "online_url", "outcome", "notes", "rule")


@dataclass
class GenerationResult:
    """What one generation run did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    schedules: int = 0

    def add(self, other: GenerationResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted
        self.schedules += other.schedules


# --- shared checks ------------------------------------------------------------------------------
def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _pks(values: Iterable[Any] | None) -> list[Any]:
    return list(dict.fromkeys(_pk(v) for v in (values or [])))


def _clean_text(data: dict[str, Any]) -> None:
    for key in TEXT_FIELDS:
        if key in data:
            data[key] = str(data[key] or "").strip()


def _check_organization(actor: Any, data: dict[str, Any], instance: Any) -> dict[str, str]:
    if "organization" not in data:
        if instance is None:
            return {"organization": _("Choose an organization.")}
        return {}
    org = data["organization"]
    if org in (None, ""):
        return {"organization": _("Choose an organization.")}
    org_pk = _pk(org)
    unchanged = instance is not None and instance.organization_id == org_pk
    qs = Organization.objects.all()
    if actor is not None and not unchanged:
        qs = qs.visible_to(actor)
    found = qs.filter(pk=org_pk).first() if str(org_pk).isdigit() else None
    if found is None:
        return {"organization": _("Choose an organization you can see.")}
    data["organization"] = found
    return {}


def people_at(organization_id: int, person_ids: Iterable[Any]) -> set[int]:
    """Those of the people who work at the organization now (a current position, or it is their
    organization)."""
    ids = [int(p) for p in person_ids if str(p).isdigit()]
    if not ids:
        return set()
    today = timezone.localdate()
    positioned = Position.objects.filter(organization_id=organization_id, person_id__in=ids).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    found = set(positioned.values_list("person_id", flat=True))
    found |= set(
        Person.objects.filter(pk__in=ids, organization_id=organization_id).values_list(
            "pk", flat=True
        )
    )
    return found


def _check_people(
    actor: Any, data: dict[str, Any], instance: Any, organization_id: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "people" in data:
        wanted = _pks(data["people"])
        existing: set[Any] = set()
        if instance is not None and instance.pk:
            existing = set(instance.people.values_list("pk", flat=True))
        new = [pk for pk in wanted if pk not in existing]
        if actor is not None and new:
            visible = Person.objects.visible_to(actor).filter(pk__in=new).count()
            if visible != len(new):
                return {"people": _("You may add only people you can see.")}
        if organization_id is not None and wanted:
            at_org = people_at(organization_id, wanted)
            outside = [pk for pk in wanted if pk not in at_org]
            if outside:
                names = ", ".join(
                    p.full_name for p in Person.objects.filter(pk__in=outside).order_by("last_name")
                )
                errors["people"] = _(
                    "Only people who work at the organization can attend: %(names)s."
                ) % {"names": names}
        data["people"] = wanted
    if "staff" in data:
        wanted = _pks(data["staff"])
        found = get_user_model().objects.filter(pk__in=wanted, is_active=True).count()
        if found != len(wanted):
            errors["staff"] = _("Choose active users as staff.")
        data["staff"] = wanted
    return errors


def _organization_id(data: Mapping[str, Any], instance: Any) -> int | None:
    org = data.get("organization")
    if org is not None:
        return _pk(org)
    return instance.organization_id if instance is not None else None


# --- appointments -------------------------------------------------------------------------------
def validate_appointment(values: Mapping[str, Any], *, now: dt.datetime | None = None) -> dict:
    """The rules of one appointment's (future) state: the errors by field."""
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Enter a title.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Enter when the appointment starts.")
    if ends is None:
        errors["ends_at"] = _("Enter when the appointment ends.")
    if starts is not None and ends is not None and ends <= starts:
        errors["ends_at"] = _("The appointment must end after it starts.")
    now = now or timezone.now()
    if values.get("status") == AppointmentStatus.DONE and starts is not None and starts > now:
        errors["status"] = _("An appointment that has not started yet cannot be done.")
    return errors


def _prepare_appointment(
    actor: Any, data: Mapping[str, Any], instance: ServiceAppointment | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    data = dict(data)
    for key in ("schedule", "occurrence_start", "edited"):
        data.pop(key, None)  # set by generation only
    training = {k: data.pop(k) for k in TRAINING_KEYS if k in data}
    _clean_text(data)
    errors = _check_organization(actor, data, instance)
    merged = {
        key: data.get(key, getattr(instance, key) if instance else None)
        for key in ("title", "starts_at", "ends_at", "status", "kind")
    }
    if merged["status"] is None:
        merged["status"] = AppointmentStatus.PLANNED
    errors.update(validate_appointment(merged))
    if "organization" not in errors:
        errors.update(_check_people(actor, data, instance, _organization_id(data, instance)))
    if (
        instance is not None
        and instance.kind == AppointmentKind.TRAINING
        and merged["kind"] != AppointmentKind.TRAINING
    ):
        from .trainings import registrations_count

        if registrations_count(instance):
            errors["kind"] = _(
                "People are registered for this training; cancel their registrations before "
                "changing the kind."
            )
    if errors:
        raise ValidationError(errors)
    if instance is not None and instance.schedule_id is not None:
        data["edited"] = True
    return data, training


def appointment_create(*, actor: Any, data: Mapping[str, Any]) -> ServiceAppointment:
    """Create an appointment (and its training for kind training)."""
    core.require_write(actor)
    prepared, training = _prepare_appointment(actor, data, None)
    with transaction.atomic():
        appointment = core.model_create(ServiceAppointment, actor=actor, data=prepared)
        _sync_training(actor, appointment, training)
        return appointment


def appointment_update(
    *, actor: Any, instance: ServiceAppointment, data: Mapping[str, Any]
) -> ServiceAppointment:
    """Change an appointment; a generated one is marked as changed by hand, so that its schedule
    no longer replaces it."""
    core.require_change(actor, instance)
    prepared, training = _prepare_appointment(actor, data, instance)
    with transaction.atomic():
        appointment = core.model_update(instance, actor=actor, data=prepared)
        _sync_training(actor, appointment, training)
        return appointment


def appointment_delete(*, actor: Any, instance: ServiceAppointment) -> None:
    core.model_delete(instance, actor=actor)


def _sync_training(actor: Any, appointment: ServiceAppointment, values: dict[str, Any]) -> None:
    from .trainings import training_sync

    training_sync(actor=actor, appointment=appointment, data=values)


# --- schedules ----------------------------------------------------------------------------------
def _local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, timezone.get_current_timezone())


def rule_message(error: recurrence.RuleError) -> str:
    messages = {
        "empty": _("Enter a recurrence rule, e.g. FREQ=MONTHLY;INTERVAL=6."),
        "too_long": _("The rule is too long."),
        "no_freq": _("The rule needs a frequency (FREQ=WEEKLY, MONTHLY or YEARLY)."),
        "never": _("The rule never occurs from the first start on."),
        "frequency": _("Choose how often the appointment repeats."),
        "interval": _("Repeat at least every 1."),
        "weekday": _("Choose a weekday."),
        "ordinal": _("Choose the first, second, third, fourth or last weekday."),
        "month_day": _("Choose a day of the month between 1 and 31."),
    }
    if error.code == "forbidden":
        return _(
            "Leave %(parts)s out of the rule; use the fields first start, until and number of "
            "appointments."
        ) % {"parts": error.detail}
    if error.code in messages:
        return messages[error.code]
    return _("This is no valid recurrence rule (RRULE): %(detail)s") % {
        "detail": error.detail or "?"
    }


def validate_schedule(values: Mapping[str, Any]) -> dict[str, str]:
    """The rules of one schedule's (future) state: the errors by field."""
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Enter a title.")
    starts = values.get("starts_at")
    if starts is None:
        errors["starts_at"] = _("Enter the first start.")
    rule = str(values.get("rule") or "")
    try:
        recurrence.parse_rule(rule, _local_naive(starts) if starts else None)
    except recurrence.RuleError as exc:
        errors["rule"] = rule_message(exc)
    until, count = values.get("until"), values.get("count")
    if until and count:
        errors["count"] = _("Give either an end date or a number of appointments, not both.")
    if until and starts is not None and until < timezone.localtime(starts).date():
        errors["until"] = _("The schedule cannot end before its first start.")
    return errors


def _prepare_schedule(
    actor: Any, data: Mapping[str, Any], instance: ServiceSchedule | None
) -> dict[str, Any]:
    data = dict(data)
    data.pop("generated_until", None)
    _clean_text(data)
    if "rule" in data:
        data["rule"] = recurrence.normalize_rule(data["rule"])
    if data.get("starts_at") is not None:  # occurrences fall on whole minutes
        data["starts_at"] = data["starts_at"].replace(second=0, microsecond=0)
    errors = _check_organization(actor, data, instance)
    merged = {
        key: data.get(key, getattr(instance, key) if instance else None)
        for key in ("title", "starts_at", "rule", "until", "count")
    }
    errors.update(validate_schedule(merged))
    if "organization" not in errors:
        errors.update(_check_people(actor, data, instance, _organization_id(data, instance)))
    if errors:
        raise ValidationError(errors)
    return data


def schedule_create(
    *, actor: Any, data: Mapping[str, Any], now: dt.datetime | None = None
) -> ServiceSchedule:
    """Create a schedule and generate its appointments of the coming days."""
    core.require_write(actor)
    prepared = _prepare_schedule(actor, data, None)
    with transaction.atomic():
        schedule = core.model_create(ServiceSchedule, actor=actor, data=prepared)
        _sync(schedule, now=now or timezone.now(), replan=True)
        return schedule


def schedule_update(
    *,
    actor: Any,
    instance: ServiceSchedule,
    data: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> ServiceSchedule:
    """Change a schedule and re-plan its future generated appointments not changed by hand."""
    core.require_change(actor, instance)
    prepared = _prepare_schedule(actor, data, instance)
    with transaction.atomic():
        schedule = core.model_update(instance, actor=actor, data=prepared)
        _sync(schedule, now=now or timezone.now(), replan=True)
        return schedule


def schedule_delete(*, actor: Any, instance: ServiceSchedule, now: dt.datetime | None = None):
    """Delete a schedule with its future open generated appointments not changed by hand; the
    others (past, confirmed, done, changed) stay, without a schedule."""
    core.require_change(actor, instance)
    now = now or timezone.now()
    with transaction.atomic():
        for appointment in _replaceable(instance, now):
            core.model_delete(appointment, actor=None)
        core.model_delete(instance, actor=actor)


def schedule_generate(
    *,
    actor: Any,
    schedule: ServiceSchedule,
    horizon_days: int | None = None,
    now: dt.datetime | None = None,
) -> GenerationResult:
    """Create the missing appointments of the schedule's occurrences in the next days (default
    `HORIZON_DAYS`); nothing twice."""
    core.require_change(actor, schedule)
    with transaction.atomic():
        locked = ServiceSchedule.objects.select_for_update().get(pk=schedule.pk)
        result = _sync(locked, now=now or timezone.now(), horizon_days=horizon_days)
        schedule.generated_until = locked.generated_until
        return result


def generate_all(
    *, horizon_days: int | None = None, now: dt.datetime | None = None
) -> GenerationResult:
    """The daily job: every active schedule's appointments of the coming days (one transaction
    per schedule)."""
    total = GenerationResult()
    for pk in ServiceSchedule.objects.filter(is_active=True).values_list("pk", flat=True):
        with transaction.atomic():
            locked = ServiceSchedule.objects.select_for_update().filter(pk=pk).first()
            if locked is None:
                continue
            total.add(_sync(locked, now=now or timezone.now(), horizon_days=horizon_days))
    return total


def _replaceable(schedule: ServiceSchedule, now: dt.datetime):
    return schedule.appointments.filter(
        occurrence_start__gte=now, edited=False, status__in=OPEN_STATUSES
    )


def schedule_occurrences(
    schedule: ServiceSchedule, window_start: dt.datetime, window_end: dt.datetime
) -> list[dt.datetime]:
    """The aware starts of the schedule's occurrences between the two times."""
    return [
        _aware(naive)
        for naive in recurrence.occurrences(
            schedule.rule,
            start=_local_naive(schedule.starts_at),
            window_start=_local_naive(window_start),
            window_end=_local_naive(window_end),
            until=schedule.until,
            count=schedule.count,
        )
    ]


def _appointment_values(schedule: ServiceSchedule, start: dt.datetime) -> dict[str, Any]:
    return {
        "organization": schedule.organization,
        "kind": schedule.kind,
        "title": schedule.title,
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=schedule.duration_minutes),
        "location": schedule.location,
        "online_url": schedule.online_url,
        "owner": schedule.owner,
        "team": schedule.team,
    }


def _sync(
    schedule: ServiceSchedule,
    *,
    now: dt.datetime,
    horizon_days: int | None = None,
    replan: bool = False,
) -> GenerationResult:
    """Bring the generated appointments in line with the schedule (see the module docstring)."""
    result = GenerationResult(schedules=1)
    window_end = now + dt.timedelta(days=horizon_days or HORIZON_DAYS)
    window_start = now
    if not replan and schedule.generated_until is not None:
        window_start = max(now, schedule.generated_until)
    wanted: list[dt.datetime] = []
    if schedule.is_active and window_start < window_end:
        wanted = schedule_occurrences(schedule, window_start, window_end)
    people = list(schedule.people.values_list("pk", flat=True))
    staff = list(schedule.staff.values_list("pk", flat=True))
    existing = {
        a.occurrence_start: a
        for a in schedule.appointments.filter(occurrence_start__gte=window_start).prefetch_related(
            "people", "staff"
        )
    }
    if replan:
        wanted_set = set(wanted)
        for appointment in _replaceable(schedule, now):
            if appointment.occurrence_start not in wanted_set:
                core.model_delete(appointment, actor=None)
                existing.pop(appointment.occurrence_start, None)
                result.deleted += 1
                continue
            values = _appointment_values(schedule, appointment.occurrence_start)
            changed = {k: v for k, v in values.items() if getattr(appointment, k) != v}
            if {p.pk for p in appointment.people.all()} != set(people):
                changed["people"] = people
            if {u.pk for u in appointment.staff.all()} != set(staff):
                changed["staff"] = staff
            if changed:
                core.model_update(appointment, actor=None, data=changed)
                if "kind" in changed:
                    _sync_training(None, appointment, {})
                result.updated += 1
    for start in wanted:
        if start in existing:
            continue
        data = _appointment_values(schedule, start)
        data.update(
            {
                "schedule": schedule,
                "occurrence_start": start,
                "status": AppointmentStatus.PLANNED,
                "people": people,
                "staff": staff,
            }
        )
        appointment = core.model_create(ServiceAppointment, actor=None, data=data)
        if appointment.kind == AppointmentKind.TRAINING:
            _sync_training(None, appointment, {})
        result.created += 1
    ServiceSchedule.objects.filter(pk=schedule.pk).update(generated_until=window_end)
    schedule.generated_until = window_end
    return result


def may_generate(user: Any, schedule: ServiceSchedule) -> bool:
    return visibility.can_change(user, schedule)
