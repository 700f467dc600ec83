"""Writes for interactions and follow-ups: validation, participants and denormalised times.

An interaction links organizations and people through `InteractionOrganization` /
`InteractionPerson`, which carry a copy of `occurred_at` so that a party's timeline is read from one
index. `Organization.last_interaction_at` and `Person.last_interaction_at` are the newest such time;
every write here keeps both right in the same transaction as the interaction itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization, Person

from ..choices import FollowUpStatus, InteractionKind
from ..models import FollowUp, Interaction, InteractionOrganization, InteractionPerson

# Kinds that may be logged ahead of time (a planned meeting); an email or a note cannot be.
PLANNABLE_KINDS = frozenset({InteractionKind.MEETING, InteractionKind.VISIT, InteractionKind.CALL})
# A clock a few minutes ahead on the user's machine is no reason to refuse an email "sent now".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
EARLIEST_DUE_DATE = dt.date(2000, 1, 1)
LATEST_DUE_YEARS = 5

PARTY_FIELDS = ("organizations", "people")
FOLLOW_UP_KEY = "follow_up"


# --- helpers ---------------------------------------------------------------
def _ids(values: Iterable[Any] | None) -> list[int]:
    """Primary keys from model instances, ids or id strings, in order, without duplicates."""
    seen: dict[int, None] = {}
    for value in values or ():
        pk = value.pk if isinstance(value, models.Model) else value
        seen[int(pk)] = None
    return list(seen)


def _check_visible(
    model: type[models.Model], actor: Any, ids: list[int], field: str, errors: dict
) -> None:
    """A writer may only link records they may see; system writes (actor None) skip this."""
    if actor is None or not ids:
        return
    manager: Any = model._default_manager
    found = set(manager.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) < len(set(ids)):
        errors[field] = _("Choose only records you may see.")


def refresh_last_interaction(
    *, organization_ids: Iterable[int] = (), person_ids: Iterable[int] = ()
) -> None:
    """Set `last_interaction_at` of these parties to the newest time of their interactions."""
    org_ids, person_ids = list(set(organization_ids)), list(set(person_ids))
    if org_ids:
        newest = (
            InteractionOrganization.objects.filter(organization=OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        Organization.objects.filter(pk__in=org_ids).update(last_interaction_at=Subquery(newest))
    if person_ids:
        newest_person = (
            InteractionPerson.objects.filter(person=OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        Person.objects.filter(pk__in=person_ids).update(last_interaction_at=Subquery(newest_person))


def _validate_interaction(
    *,
    actor: Any,
    kind: str,
    occurred_at: Any,
    subject: Any,
    org_ids: list[int],
    person_ids: list[int],
    check_parties: bool,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not str(subject or "").strip():
        errors["subject"] = _("Give the interaction a subject.")
    if isinstance(occurred_at, dt.datetime):
        if timezone.is_naive(occurred_at):
            errors["occurred_at"] = _("Give the time with its time zone.")
        elif kind not in PLANNABLE_KINDS and occurred_at > timezone.now() + FUTURE_TOLERANCE:
            errors["occurred_at"] = _(
                "An email, letter or note cannot lie in the future; only meetings, visits and "
                "calls can be planned."
            )
    elif occurred_at is not None:
        errors["occurred_at"] = _("Enter a valid date and time.")
    if check_parties and not org_ids and not person_ids:
        errors["organizations"] = _("Choose at least one organization or person.")
    _check_visible(Organization, actor, org_ids, "organizations", errors)
    _check_visible(Person, actor, person_ids, "people", errors)
    return errors


def _people_organizations(person_ids: list[int]) -> list[int]:
    """The current organizations of these people (their denormalised primary organization)."""
    return _ids(
        Person.objects.filter(pk__in=person_ids, organization__isnull=False)
        .values_list("organization_id", flat=True)
        .distinct()
    )


def _link_parties(
    interaction: Interaction, org_ids: Iterable[int], person_ids: Iterable[int]
) -> None:
    when = interaction.occurred_at
    InteractionOrganization.objects.bulk_create(
        [
            InteractionOrganization(interaction=interaction, organization_id=pk, occurred_at=when)
            for pk in org_ids
        ]
    )
    InteractionPerson.objects.bulk_create(
        [
            InteractionPerson(interaction=interaction, person_id=pk, occurred_at=when)
            for pk in person_ids
        ]
    )


def _create_inline_follow_up(
    *,
    actor: Any,
    interaction: Interaction,
    data: Mapping[str, Any] | None,
    org_ids: list[int],
    person_ids: list[int],
) -> None:
    """Create the follow-up given with an interaction; its errors name the `followup_*` fields."""
    if not data or not any(data.get(k) for k in ("title", "due_date")):
        return
    values = {
        "title": data.get("title")
        or _("Follow up: %(subject)s") % {"subject": interaction.subject},
        "due_date": data.get("due_date"),
        "notes": data.get("notes", ""),
        "interaction": interaction,
        "organization": org_ids[0] if org_ids else None,
        "person": person_ids[0] if len(person_ids) == 1 else None,
    }
    if data.get("assignee"):
        values["assignee"] = data["assignee"]
    try:
        followup_create(actor=actor, data=values)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({f"followup_{k}": v for k, v in exc.error_dict.items()}) from exc
        raise


# --- interactions ------------------------------------------------------------
def interaction_create(*, actor: Any, data: Mapping[str, Any]) -> Interaction:
    """Log an interaction with its parties (people alone bring their current organizations)."""
    core.require_write(actor)
    values = dict(data)
    org_ids = _ids(values.pop("organizations", None))
    person_ids = _ids(values.pop("people", None))
    follow_up = values.pop(FOLLOW_UP_KEY, None)
    values.setdefault("occurred_at", timezone.now())
    errors = _validate_interaction(
        actor=actor,
        kind=values.get("kind", ""),
        occurred_at=values.get("occurred_at"),
        subject=values.get("subject"),
        org_ids=org_ids,
        person_ids=person_ids,
        check_parties=True,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if not org_ids:
            org_ids = _people_organizations(person_ids)
        interaction = core.model_create(Interaction, actor=actor, data=values)
        _link_parties(interaction, org_ids, person_ids)
        refresh_last_interaction(organization_ids=org_ids, person_ids=person_ids)
        _create_inline_follow_up(
            actor=actor,
            interaction=interaction,
            data=follow_up,
            org_ids=org_ids,
            person_ids=person_ids,
        )
    return interaction


def interaction_update(
    *, actor: Any, instance: Interaction, data: Mapping[str, Any]
) -> Interaction:
    """Change an interaction; its parties' links and last-interaction times follow."""
    core.require_change(actor, instance)
    values = dict(data)
    follow_up = values.pop(FOLLOW_UP_KEY, None)
    old_orgs = _ids(
        InteractionOrganization.objects.filter(interaction=instance).values_list(
            "organization_id", flat=True
        )
    )
    old_people = _ids(
        InteractionPerson.objects.filter(interaction=instance).values_list("person_id", flat=True)
    )
    parties_given = any(k in values for k in PARTY_FIELDS)
    new_orgs = _ids(values.pop("organizations")) if "organizations" in values else old_orgs
    new_people = _ids(values.pop("people")) if "people" in values else old_people
    errors = _validate_interaction(
        actor=actor,
        kind=values.get("kind", instance.kind),
        occurred_at=values.get("occurred_at", instance.occurred_at),
        subject=values.get("subject", instance.subject),
        org_ids=[pk for pk in new_orgs if pk not in old_orgs],
        person_ids=[pk for pk in new_people if pk not in old_people],
        check_parties=False,
    )
    if parties_given and not new_orgs and not new_people:
        errors["organizations"] = _("Choose at least one organization or person.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if parties_given and not new_orgs:
            new_orgs = _people_organizations(new_people)
        interaction = core.model_update(instance, actor=actor, data=values)
        links_o = InteractionOrganization.objects.filter(interaction=interaction)
        links_p = InteractionPerson.objects.filter(interaction=interaction)
        links_o.exclude(organization_id__in=new_orgs).delete()
        links_p.exclude(person_id__in=new_people).delete()
        if "occurred_at" in values:
            # A form may have set the new time on `instance` already, so compare nothing: rewrite.
            links_o.update(occurred_at=interaction.occurred_at)
            links_p.update(occurred_at=interaction.occurred_at)
        _link_parties(
            interaction,
            [pk for pk in new_orgs if pk not in old_orgs],
            [pk for pk in new_people if pk not in old_people],
        )
        refresh_last_interaction(
            organization_ids=[*old_orgs, *new_orgs], person_ids=[*old_people, *new_people]
        )
        _create_inline_follow_up(
            actor=actor,
            interaction=interaction,
            data=follow_up,
            org_ids=new_orgs,
            person_ids=new_people,
        )
    return interaction


def interaction_delete(*, actor: Any, instance: Interaction) -> None:
    """Delete an interaction; its parties' last-interaction times fall back to the one before."""
    core.require_change(actor, instance)
    with transaction.atomic():
        org_ids = list(
            InteractionOrganization.objects.filter(interaction=instance).values_list(
                "organization_id", flat=True
            )
        )
        person_ids = list(
            InteractionPerson.objects.filter(interaction=instance).values_list(
                "person_id", flat=True
            )
        )
        core.model_delete(instance, actor=actor)
        refresh_last_interaction(organization_ids=org_ids, person_ids=person_ids)


def interaction_sync_links(*, interaction: Interaction) -> None:
    """Bring the links' times and the parties' last-interaction times in line (after an admin edit)."""
    with transaction.atomic():
        InteractionOrganization.objects.filter(interaction=interaction).update(
            occurred_at=interaction.occurred_at
        )
        InteractionPerson.objects.filter(interaction=interaction).update(
            occurred_at=interaction.occurred_at
        )
        refresh_last_interaction(
            organization_ids=InteractionOrganization.objects.filter(
                interaction=interaction
            ).values_list("organization_id", flat=True),
            person_ids=InteractionPerson.objects.filter(interaction=interaction).values_list(
                "person_id", flat=True
            ),
        )


# --- follow-ups --------------------------------------------------------------
def _validate_follow_up(actor: Any, values: Mapping[str, Any], errors: dict[str, Any]) -> None:
    due = values.get("due_date")
    if isinstance(due, dt.datetime):
        due = due.date()
    if isinstance(due, dt.date):
        latest = timezone.localdate() + dt.timedelta(days=round(365.25 * LATEST_DUE_YEARS))
        if due < EARLIEST_DUE_DATE:
            errors["due_date"] = _("A due date before 2000 is surely a typo.")
        elif due > latest:
            errors["due_date"] = _("A due date more than five years ahead is surely a typo.")
    for field, model in (
        ("organization", Organization),
        ("person", Person),
        ("interaction", Interaction),
    ):
        value = values.get(field)
        if value:
            _check_visible(model, actor, _ids([value]), field, errors)


def _fk(values: dict[str, Any], field: str) -> None:
    """Accept an id or an instance for a foreign key."""
    value = values.get(field)
    if value is not None and not isinstance(value, models.Model):
        values[f"{field}_id"] = int(value)
        values.pop(field)


def _unchanged(instance: FollowUp, field: str, value: Any) -> bool:
    if field in ("organization", "person", "interaction", "assignee"):
        current = getattr(instance, f"{field}_id")
        return current == (value.pk if isinstance(value, models.Model) else value)
    return getattr(instance, field, None) == value


def _status_times(instance: FollowUp) -> None:
    if instance.status == FollowUpStatus.DONE and instance.completed_at is None:
        instance.completed_at = timezone.now()
    elif instance.status != FollowUpStatus.DONE:
        instance.completed_at = None


def followup_create(*, actor: Any, data: Mapping[str, Any]) -> FollowUp:
    """A task with a due date; assigned to the actor unless someone else is named."""
    core.require_write(actor)
    values = {k: v for k, v in data.items() if k != "completed_at"}
    if not values.get("assignee") and not values.get("assignee_id") and actor is not None:
        values["assignee"] = actor
    errors: dict[str, Any] = {}
    _validate_follow_up(actor, values, errors)
    if errors:
        raise ValidationError(errors)
    for field in ("organization", "person", "interaction", "assignee"):
        _fk(values, field)
    if values.get("status") == FollowUpStatus.DONE:
        values["completed_at"] = timezone.now()
    return core.model_create(FollowUp, actor=actor, data=values)


def followup_update(*, actor: Any, instance: FollowUp, data: Mapping[str, Any]) -> FollowUp:
    core.require_change(actor, instance)
    values = {k: v for k, v in data.items() if k != "completed_at"}
    errors: dict[str, Any] = {}
    # A model form has already set the new values on `instance`: compare with the stored row.
    stored = FollowUp.objects.get(pk=instance.pk)
    changed = {k: v for k, v in values.items() if not _unchanged(stored, k, v)}
    _validate_follow_up(actor, changed, errors)
    if "assignee" in values and not values["assignee"]:
        values.pop("assignee")
        values["assignee_id"] = stored.assignee_id  # left empty: stays with whom it was
    if errors:
        raise ValidationError(errors)
    for field in ("organization", "person", "interaction", "assignee"):
        _fk(values, field)
    with transaction.atomic():
        for name, value in values.items():
            setattr(instance, name, value)
        _status_times(instance)
        return core.model_update(instance, actor=actor, data={})


def _set_status(actor: Any, instance: FollowUp, status: str) -> FollowUp:
    core.require_change(actor, instance)
    with transaction.atomic():
        instance.status = status
        _status_times(instance)
        return core.model_update(instance, actor=actor, data={})


def followup_complete(*, actor: Any, instance: FollowUp) -> FollowUp:
    """Mark done now."""
    return _set_status(actor, instance, FollowUpStatus.DONE)


def followup_reopen(*, actor: Any, instance: FollowUp) -> FollowUp:
    return _set_status(actor, instance, FollowUpStatus.OPEN)


def followup_cancel(*, actor: Any, instance: FollowUp) -> FollowUp:
    return _set_status(actor, instance, FollowUpStatus.CANCELLED)


def followup_delete(*, actor: Any, instance: FollowUp) -> None:
    core.model_delete(instance, actor=actor)
