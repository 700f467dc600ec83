"""Writes of cases: open, edit, move through the statuses, converse, note — and keep the
service-level clock.

Rules (refused with a message naming the field): an organization the actor may see; a contact
person the actor may see who works at that organization (current organization or a position
there); a subject; an active category; not opened in the future.

The service-level clock (business hours of the case team's service hours; see
`selectors.servicelevels`):

* targets come from the active policy of the case's priority and its client's tier;
* **first response**: due `first_response_hours` after opening; it is met by the first outbound
  interaction added to the case, or when the case first leaves *new* (someone took it on) —
  whichever comes first. This clock never pauses;
* **resolution**: due `resolution_hours` after opening, plus the business time the case spent
  *waiting on client* or *resolved* (the clock pauses there and runs again when the case is
  reopened); met when the case is resolved (or closed without being resolved);
* a missed target is recorded once per kind as a `CaseBreach` (breached at the due moment), by a
  status change or by the periodic check (`cases_check_service_levels`, every five minutes),
  which also warns the owner (or, without owner, the team) once when `warning_percent` of a
  target is used. Notifications are idempotent (one per case, target and kind).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.commerce.models import Order
from accord.contracts.models import Contract
from accord.core import services as core
from accord.core import visibility
from accord.core.notifications import notify_many
from accord.intelligence.engine import business_hours as bh
from accord.interactions.choices import Direction
from accord.interactions.models import Interaction
from accord.interactions.services import interaction_create
from accord.parties.models import Organization, Person, Position
from accord.users.models import Team

from ..models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    BreachKind,
    Case,
    CaseBreach,
    CaseCategory,
    CaseNote,
    CaseStatus,
)
from ..selectors.servicelevels import PolicyBook, ScheduleBook
from ..signals import case_answered, case_status_changed

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
PAUSED_STATUSES = (CaseStatus.WAITING, CaseStatus.RESOLVED)
EDITABLE = (
    "organization",
    "person",
    "subject",
    "description",
    "category",
    "priority",
    "product",
    "contract",
    "order",
    "owner",
    "team",
    "opened_at",
)


# --- numbers -------------------------------------------------------------------------------------
def _next_number(year: int) -> str:
    prefix = f"C-{year}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


# --- the clock -----------------------------------------------------------------------------------
def _seconds(hours: Any) -> float:
    return float(hours) * 3600


def elapsed_resolution_seconds(case: Case, schedule: bh.Schedule, now: dt.datetime) -> float:
    """Business seconds the resolution clock has run by `now` (pauses left out)."""
    end = now
    if case.resolved_at is not None and case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        end = min(now, case.resolved_at)
    total = bh.business_seconds(schedule, case.opened_at, end) - case.paused_seconds
    if case.paused_since is not None and case.paused_since < end:
        total -= bh.business_seconds(schedule, case.paused_since, end)
    return max(0.0, total)


def apply_clock(
    case: Case, *, policies: PolicyBook | None = None, schedules: ScheduleBook | None = None
) -> None:
    """Set the stored due and warning times of `case` (not saved) from its policy and schedule."""
    policies = policies or PolicyBook([case.organization_id])
    schedules = schedules or ScheduleBook()
    policy = policies.policy_for(case.priority, case.organization_id)
    case.policy = policy
    if policy is None or case.opened_at is None:
        case.first_response_due_at = case.first_response_warn_at = None
        case.resolution_due_at = case.resolution_warn_at = None
        return
    schedule = schedules.schedule_for(case.team_id)
    share = policy.warning_percent / 100
    first = _seconds(policy.first_response_hours)
    case.first_response_due_at = bh.add_business_seconds(schedule, case.opened_at, first)
    case.first_response_warn_at = bh.add_business_seconds(schedule, case.opened_at, first * share)
    if case.status in RUNNING_STATUSES:
        target = _seconds(policy.resolution_hours)
        paused = case.paused_seconds
        case.resolution_due_at = bh.add_business_seconds(schedule, case.opened_at, target + paused)
        case.resolution_warn_at = bh.add_business_seconds(
            schedule, case.opened_at, target * share + paused
        )
    else:
        case.resolution_due_at = case.resolution_warn_at = None


def breaches_of(
    case: Case, now: dt.datetime, schedules: ScheduleBook | None = None
) -> list[tuple[str, dt.datetime]]:
    """The targets `case` has missed by `now`: (kind, moment it was missed)."""
    found: list[tuple[str, dt.datetime]] = []
    due = case.first_response_due_at
    if due is not None:
        answered = case.first_responded_at
        if (answered is not None and answered > due) or (answered is None and now >= due):
            found.append((BreachKind.FIRST_RESPONSE, due))
    policy = case.policy
    if policy is None:
        return found
    if case.status in RUNNING_STATUSES:
        if case.resolution_due_at is not None and now >= case.resolution_due_at:
            found.append((BreachKind.RESOLUTION, case.resolution_due_at))
        return found
    schedule = (schedules or ScheduleBook()).schedule_for(case.team_id)
    target = _seconds(policy.resolution_hours)
    if case.resolution_seconds is not None:
        used = float(case.resolution_seconds)
    else:
        used = elapsed_resolution_seconds(case, schedule, now)
    if used > target:
        moment = bh.add_business_seconds(schedule, case.opened_at, target + case.paused_seconds)
        if case.resolved_at is not None:
            moment = min(moment, case.resolved_at)
        found.append((BreachKind.RESOLUTION, moment))
    return found


def _recipients(case: Case) -> list[Any]:
    owner = case.owner if case.owner_id is not None else None
    if owner is not None:
        return [owner] if owner.is_active else []
    if case.team_id is not None:
        return list(Team.objects.get(pk=case.team_id).members.filter(is_active=True))
    return []


def _kind_label(kind: str) -> str:
    return str(dict(BreachKind.choices).get(kind, kind))


def _tell_breach(case: Case, kind: str) -> None:
    title = _("%(number)s: %(target)s target missed") % {
        "number": case.number,
        "target": _kind_label(kind),
    }
    body = _("Case “%(subject)s” of %(organization)s missed its %(target)s target.") % {
        "subject": case.subject,
        "organization": case.organization,
        "target": _kind_label(kind).lower(),
    }
    notify_many(
        _recipients(case),
        key=f"case:{case.pk}:{kind}:breach",
        title=title,
        body=body,
        url=case.get_absolute_url(),
        kind="case_breach",
    )


def _tell_warning(case: Case, kind: str, due: dt.datetime) -> int:
    local = timezone.localtime(due)
    title = _("%(number)s: %(target)s due soon") % {
        "number": case.number,
        "target": _kind_label(kind),
    }
    body = _("Case “%(subject)s” of %(organization)s: %(target)s due %(due)s.") % {
        "subject": case.subject,
        "organization": case.organization,
        "target": _kind_label(kind).lower(),
        "due": local.strftime("%d.%m.%Y %H:%M"),
    }
    sent = notify_many(
        _recipients(case),
        key=f"case:{case.pk}:{kind}:warning",
        title=title,
        body=body,
        url=case.get_absolute_url(),
        kind="case_warning",
        due_on=local.date(),
    )
    return 1 if sent else 0


def record_breaches(case: Case, now: dt.datetime, schedules: ScheduleBook | None = None) -> int:
    """Record the missed targets of `case` not recorded yet and tell its owner; how many."""
    created = 0
    for kind, moment in breaches_of(case, now, schedules):
        _obj, new = CaseBreach.objects.get_or_create(
            case=case, kind=kind, defaults={"breached_at": moment}
        )
        if new:
            created += 1
            _tell_breach(case, kind)
    return created


# --- validation ----------------------------------------------------------------------------------
def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _belongs_to(record: Any, organization_id: Any) -> bool:
    """An order of the organization, or a contract it is a party to."""
    if isinstance(record, Order):
        return str(record.organization_id) == str(organization_id)
    return (
        str(record.counterparty_id) == str(organization_id)
        or record.further_parties.filter(pk=organization_id).exists()
    )


def _validate(actor: Any, values: dict[str, Any], instance: Case | None) -> None:
    errors: dict[str, str] = {}

    def current(name: str) -> Any:
        if name in values:
            return values[name]
        return (
            getattr(
                instance,
                f"{name}_id" if name in ("organization", "person", "category") else name,
                None,
            )
            if instance
            else None
        )

    subject = str(current("subject") or "").strip()
    if not subject:
        errors["subject"] = _("Give the case a subject.")
    org_id = _pk(current("organization"))
    if org_id in (None, ""):
        errors["organization"] = _("Choose the client organization.")
    elif "organization" in values:
        orgs = (
            Organization.objects.all() if actor is None else Organization.objects.visible_to(actor)
        )
        if not orgs.filter(pk=org_id).exists():
            errors["organization"] = _("Choose an organization you may see.")
    person_id = _pk(current("person"))
    if (
        person_id not in (None, "")
        and "organization" not in errors
        and ("person" in values or "organization" in values)
    ):
        people = Person.objects.all() if actor is None else Person.objects.visible_to(actor)
        person = people.filter(pk=person_id).only("id", "organization_id").first()
        if person is None:
            errors["person"] = _("Choose a person you may see.")
        elif (
            person.organization_id != int(org_id)
            and not Position.objects.filter(person_id=person_id, organization_id=org_id).exists()
        ):
            errors["person"] = _("The contact person must work at the case’s organization.")
    if "category" in values and values["category"] not in (None, ""):
        category = CaseCategory.objects.filter(pk=_pk(values["category"])).first()
        if category is None or (
            not category.active and (instance is None or instance.category_id != category.pk)
        ):
            errors["category"] = _("Choose an active category.")
    org_id = _pk(values.get("organization")) or (instance.organization_id if instance else None)
    for name, model in (("contract", Contract), ("order", Order)):
        value = _pk(values.get(name))
        if value in (None, ""):
            continue
        rows = model.objects.all() if actor is None else model.objects.visible_to(actor)
        found = rows.filter(pk=value).first()
        if found is None:
            errors[name] = _("Choose a record you may see.")
        elif org_id is not None and not _belongs_to(found, org_id):
            errors[name] = (
                _("Choose an order of the case's organization.")
                if name == "order"
                else _("Choose a contract the case's organization is a party to.")
            )
    opened = values.get("opened_at")
    if opened is not None and opened > timezone.now() + FUTURE_TOLERANCE:
        errors["opened_at"] = _("A case cannot be opened in the future.")
    if errors:
        raise ValidationError(errors)
    if "subject" in values:
        values["subject"] = subject


# --- cases ---------------------------------------------------------------------------------------
def case_create(*, actor: Any, data: Mapping[str, Any]) -> Case:
    """Open a case (status new) with its number and service-level clock."""
    core.require_write(actor)
    values = {k: v for k, v in dict(data).items() if k in EDITABLE or k == "interactions"}
    if values.get("opened_at") is None:
        values.pop("opened_at", None)
    _validate(actor, values, None)
    values["status"] = CaseStatus.NEW
    values.setdefault("opened_at", timezone.now())
    if actor is not None and values.get("team") is None:
        teams = visibility.team_ids(actor)
        values["team"] = Team.objects.get(pk=teams[0]) if teams else None
    for name in (
        "organization",
        "person",
        "category",
        "product",
        "contract",
        "order",
        "team",
        "owner",
    ):
        value = values.get(name)
        if value is not None and not hasattr(value, "pk"):
            model = Case._meta.get_field(name).related_model
            values[name] = model._default_manager.get(pk=value)  # type: ignore[union-attr]
    probe = Case(**{k: v for k, v in values.items() if k != "interactions"})
    apply_clock(probe)
    for name in (
        "policy",
        "first_response_due_at",
        "first_response_warn_at",
        "resolution_due_at",
        "resolution_warn_at",
    ):
        values[name] = getattr(probe, name)
    year = timezone.localtime(values["opened_at"]).year
    for attempt in range(5):
        values["number"] = _next_number(year)
        try:
            with transaction.atomic():
                case = core.model_create(Case, actor=actor, data=values)
                record_breaches(case, timezone.now())
                return case
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def case_update(*, actor: Any, instance: Case, data: Mapping[str, Any]) -> Case:
    """Change a case's facts; a status given moves it (`case_set_status`); a changed priority,
    team, client or opening time recomputes its clock."""
    core.require_change(actor, instance)
    values = {k: v for k, v in dict(data).items() if k in EDITABLE}
    status = data.get("status")
    if "owner" in values and values["owner"] is None:
        values.pop("owner")
    _validate(actor, values, instance)
    with transaction.atomic():
        if values:
            for name, value in values.items():
                setattr(instance, name, value)
            apply_clock(instance)
            clock = {
                name: getattr(instance, name)
                for name in (
                    "policy",
                    "first_response_due_at",
                    "first_response_warn_at",
                    "resolution_due_at",
                    "resolution_warn_at",
                )
            }
            if instance.first_responded_at is not None:
                clock["first_response_seconds"] = _first_seconds(instance)
            instance = core.model_update(instance, actor=actor, data={**values, **clock})
        if status and status != instance.status:
            instance = case_set_status(actor=actor, case=instance, status=status)
        else:
            record_breaches(instance, timezone.now())
    return instance


def case_delete(*, actor: Any, instance: Case) -> None:
    core.model_delete(instance, actor=actor)


def _first_seconds(case: Case, schedules: ScheduleBook | None = None) -> int | None:
    if case.first_responded_at is None:
        return None
    schedule = (schedules or ScheduleBook()).schedule_for(case.team_id)
    return round(max(0.0, bh.business_seconds(schedule, case.opened_at, case.first_responded_at)))


def case_set_status(*, actor: Any, case: Case, status: str, at: dt.datetime | None = None) -> Case:
    """Move the case to `status` at `at` (default now), keeping the clock (see the module)."""
    core.require_change(actor, case)
    if status not in CaseStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    now = at or timezone.now()
    if now < case.opened_at:
        raise ValidationError({"status": _("A case cannot change before it was opened.")})
    old = case.status
    if status == old:
        return case
    schedules = ScheduleBook()
    schedule = schedules.schedule_for(case.team_id)
    with transaction.atomic():
        record_breaches(case, now, schedules)  # what was missed before the move
        changes: dict[str, Any] = {"status": status}
        paused_since = case.paused_since
        paused = case.paused_seconds
        # the resolution clock: leaving a pause adds its business time
        if status in RUNNING_STATUSES and paused_since is not None:
            paused += round(max(0.0, bh.business_seconds(schedule, paused_since, now)))
            paused_since = None
        if status in PAUSED_STATUSES and paused_since is None:
            paused_since = now
        if status == CaseStatus.CLOSED and paused_since is None:
            paused_since = now
        changes["paused_since"] = paused_since
        changes["paused_seconds"] = paused
        if status != CaseStatus.NEW and case.first_responded_at is None:
            changes["first_responded_at"] = now
        if status in RUNNING_STATUSES or status == CaseStatus.WAITING:
            if case.resolved_at is not None:
                changes["resolved_at"] = None
                changes["resolution_seconds"] = None
            changes["closed_at"] = None
        if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and case.resolved_at is None:
            probe = Case(
                opened_at=case.opened_at,
                status=CaseStatus.OPEN,
                paused_seconds=case.paused_seconds,
                paused_since=case.paused_since,
            )
            changes["resolved_at"] = now
            changes["resolution_seconds"] = round(elapsed_resolution_seconds(probe, schedule, now))
        if status == CaseStatus.CLOSED:
            changes["closed_at"] = now
        for name, value in changes.items():
            setattr(case, name, value)
        case.first_response_seconds = _first_seconds(case, schedules)
        apply_clock(case, schedules=schedules)
        clock = {
            name: getattr(case, name)
            for name in (
                "policy",
                "first_response_due_at",
                "first_response_warn_at",
                "resolution_due_at",
                "resolution_warn_at",
                "first_response_seconds",
            )
        }
        case = core.model_update(case, actor=actor, data={**changes, **clock})
        record_breaches(case, now, schedules)
        case_status_changed.send(sender=Case, case=case, old=old, new=status)
    return case


def case_add_interaction(*, actor: Any, case: Case, data: Mapping[str, Any]) -> Interaction:
    """Log an interaction (mail, call, meeting …) in the case's conversation, through the
    interactions service, with the case's organization and contact person. An outbound one is the
    first response when there was none yet (a new case becomes open)."""
    core.require_change(actor, case)
    values = dict(data)
    values.setdefault("organizations", [case.organization_id])
    if case.person_id is not None:
        values.setdefault("people", [case.person_id])
    with transaction.atomic():
        interaction = interaction_create(actor=actor, data=values)
        case.interactions.add(interaction)
        if interaction.direction == Direction.OUTBOUND:
            case_answered.send(sender=Case, case=case, interaction=interaction)
        if interaction.direction == Direction.OUTBOUND and case.first_responded_at is None:
            moment = max(interaction.occurred_at, case.opened_at)
            if case.status == CaseStatus.NEW:
                case_set_status(actor=actor, case=case, status=CaseStatus.OPEN, at=moment)
            else:
                case.first_responded_at = moment
                core.model_update(
                    case,
                    actor=actor,
                    data={
                        "first_responded_at": moment,
                        "first_response_seconds": _first_seconds(case),
                    },
                )
                record_breaches(case, timezone.now())
    return interaction


def case_link_interaction(*, actor: Any, case: Case, interaction: Interaction) -> None:
    """Add an existing interaction the actor may see to the conversation."""
    core.require_change(actor, case)
    if actor is not None and not visibility.can_view(actor, interaction):
        raise ValidationError({"interaction": _("Choose an interaction you may see.")})
    case.interactions.add(interaction)


def case_note_create(*, actor: Any, case: Case, text: str) -> CaseNote:
    """An internal note on the case by the actor (who may change the case)."""
    core.require_change(actor, case)
    text = str(text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    note = CaseNote(
        case=case, text=text, author=actor if visibility.is_authenticated(actor) else None
    )
    note._history_user = note.author  # type: ignore[attr-defined]
    note.full_clean()
    note.save()
    return note


def case_note_delete(*, actor: Any, note: CaseNote) -> None:
    """The author (or an administrator or manager) deletes a note."""
    if actor is not None and not (note.author_id == actor.pk or visibility.sees_everything(actor)):
        raise PermissionDenied(_("Only the author may delete this note."))
    core.require_write(actor)
    note._history_user = actor  # type: ignore[attr-defined]
    note.delete()


# --- recomputation and the periodic check --------------------------------------------------------
def cases_refresh_clocks(
    *,
    team_id: int | None = None,
    priority: str | None = None,
    organization_id: int | None = None,
    all_teams: bool = False,
) -> int:
    """Recompute the stored due times of the open cases concerned (after a configuration
    change); written in bulk, without history entries. Returns how many."""
    qs = Case.objects.filter(status__in=OPEN_STATUSES)
    if not all_teams:
        if team_id is not None:
            qs = qs.filter(team_id=team_id)
        if priority is not None:
            qs = qs.filter(priority=priority)
        if organization_id is not None:
            qs = qs.filter(organization_id=organization_id)
    cases = list(qs)
    if not cases:
        return 0
    policies = PolicyBook({c.organization_id for c in cases})
    schedules = ScheduleBook()
    for case in cases:
        apply_clock(case, policies=policies, schedules=schedules)
    Case.objects.bulk_update(
        cases,
        [
            "policy",
            "first_response_due_at",
            "first_response_warn_at",
            "resolution_due_at",
            "resolution_warn_at",
        ],
        batch_size=500,
    )
    return len(cases)


def cases_check_service_levels(now: dt.datetime | None = None) -> dict[str, int]:
    """Record the missed targets of open cases and warn owners before a breach; idempotent
    (run every few minutes). Returns the counts: breaches recorded, warnings sent."""
    now = now or timezone.now()
    counts = {"breaches": 0, "warnings": 0}
    schedules = ScheduleBook()
    unanswered = Q(first_responded_at__isnull=True, status__in=OPEN_STATUSES)
    running = Q(status__in=RUNNING_STATUSES)
    due = (
        Case.objects.filter(
            (unanswered & Q(first_response_due_at__lte=now))
            | (running & Q(resolution_due_at__lte=now))
        )
        .select_related("policy", "owner", "organization")
        .order_by("id")
    )
    for case in due:
        counts["breaches"] += record_breaches(case, now, schedules)
    warn = (
        Case.objects.filter(
            (unanswered & Q(first_response_warn_at__lte=now, first_response_due_at__gt=now))
            | (running & Q(resolution_warn_at__lte=now, resolution_due_at__gt=now))
        )
        .select_related("owner", "organization")
        .order_by("id")
    )
    for case in warn:
        fr_due, res_due = case.first_response_due_at, case.resolution_due_at
        if (
            case.first_responded_at is None
            and case.first_response_warn_at is not None
            and fr_due is not None
            and case.first_response_warn_at <= now < fr_due
        ):
            counts["warnings"] += _tell_warning(case, BreachKind.FIRST_RESPONSE, fr_due)
        if (
            case.status in RUNNING_STATUSES
            and case.resolution_warn_at is not None
            and res_due is not None
            and case.resolution_warn_at <= now < res_due
        ):
            counts["warnings"] += _tell_warning(case, BreachKind.RESOLUTION, res_due)
    return counts


__all__ = [
    "apply_clock",
    "breaches_of",
    "case_add_interaction",
    "case_create",
    "case_delete",
    "case_link_interaction",
    "case_note_create",
    "case_note_delete",
    "case_set_status",
    "case_update",
    "cases_check_service_levels",
    "cases_refresh_clocks",
    "elapsed_resolution_seconds",
    "record_breaches",
]
