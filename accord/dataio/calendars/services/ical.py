"""iCalendar import: each VEVENT of an uploaded .ics becomes one meeting (an interaction of kind
meeting) with the people among its attendees, once.

An event is known by its UID (and RECURRENCE-ID for a changed occurrence of a series), kept as the
interaction's `source_id` ("ical:<UID>"): importing the same calendar again updates the meetings the
importer may change (moved, renamed) and creates nothing twice — also when a colleague imported it
first (then it is left alone). Attendees are linked to the people the importer may see by their
email addresses; our users among them become participants; the organizer decides the direction
(one of us: outbound, someone else: inbound). An event with nobody known among its attendees is
not a meeting with a party: it is skipped and listed. Captured meetings are private to the importer
and visible to the owners of the people they are linked to, like captured mail.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.core.jobs import JobContext, JobFailed
from accord.interactions import services as interaction_services
from accord.interactions.choices import Direction, InteractionKind, InteractionSource
from accord.interactions.models import Interaction
from accord.interactions.services.capture import InteractionDraft, interactions_bulk_create
from accord.parties.models import Person, PersonEmail

from ..models import CalendarImport
from ..parsing import (
    Block,
    CalendarEvent,
    EventError,
    count_blocks,
    event_where,
    parse_vevent,
    read_timezones,
    user_zone,
)
from .batches import import_blocks
from .vcard import _messages


class EventImporter:
    """Turns parsed events into meetings for one user."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.staff = {
            email.lower(): pk
            for pk, email in get_user_model()
            .objects.filter(is_active=True)
            .values_list("pk", "email")
        }

    def people(self, addresses: list[str]) -> list[Person]:
        if not addresses:
            return []
        visible = Person.objects.visible_to(self.actor).values("pk")
        ids = (
            PersonEmail.objects.filter(email__in=addresses, person__in=visible)
            .values_list("person_id", flat=True)
            .distinct()
        )
        return list(Person.objects.filter(pk__in=list(ids)).order_by("pk"))

    def direction(self, event: CalendarEvent) -> str:
        if not event.organizer:
            return Direction.OUTBOUND
        return Direction.OUTBOUND if event.organizer in self.staff else Direction.INBOUND

    @staticmethod
    def body(event: CalendarEvent) -> str:
        parts = [event.description]
        if event.location:
            parts.append(_("Location: %(place)s") % {"place": event.location})
        return "\n\n".join(p for p in parts if p)

    def apply(self, event: CalendarEvent) -> tuple[str, str]:
        """Create, update or skip one event; returns (outcome, note for the user or "")."""
        existing = Interaction.objects.filter(source_id=event.source_id).first()
        if event.cancelled and existing is None:
            return "skipped", _("it is cancelled")
        if existing is not None:
            return self.update(existing, event)
        addresses = [a for a in [event.organizer, *event.attendees] if a]
        external = [a for a in addresses if a not in self.staff]
        people = self.people(external)
        if not people:
            return "skipped", _("none of its attendees is a person in Accord you may see")
        user_ids = [self.staff[a] for a in addresses if a in self.staff]
        draft = InteractionDraft(
            owner_id=self.actor.pk,
            occurred_at=event.start,
            subject=event.summary,
            body=self.body(event),
            kind=InteractionKind.MEETING,
            direction=self.direction(event),
            source=InteractionSource.CALENDAR,
            source_id=event.source_id,
            team_id=None,
            duration_minutes=event.duration_minutes,
            organization_ids=list(
                dict.fromkeys(p.organization_id for p in people if p.organization_id)
            ),
            person_ids=[p.pk for p in people],
            user_ids=list(dict.fromkeys([self.actor.pk, *user_ids])),
            addresses=[
                *([("from", event.organizer, "")] if event.organizer else []),
                *[("to", a, "") for a in event.attendees if a != event.organizer],
            ],
        )
        interactions_bulk_create([draft])
        return "created", ""

    def update(self, existing: Interaction, event: CalendarEvent) -> tuple[str, str]:
        if not visibility.can_change(self.actor, existing):
            return "skipped", _("a colleague has imported this event already")
        changes: dict[str, Any] = {}
        if existing.occurred_at != event.start:
            changes["occurred_at"] = event.start
        if existing.subject != event.summary:
            changes["subject"] = event.summary
        body = self.body(event)
        if existing.body != body:
            changes["body"] = body
        if existing.duration_minutes != event.duration_minutes:
            changes["duration_minutes"] = event.duration_minutes
        if not changes:
            return "unchanged", ""
        interaction_services.interaction_update(actor=self.actor, instance=existing, data=changes)
        return "updated", ""


def import_event_block(
    importer: EventImporter, block: Block, timezones: str, tz: Any
) -> tuple[str, list[tuple[str, str]]]:
    """Store one event block (in a savepoint); returns the outcome and (where, message) reports."""
    try:
        event = parse_vevent(block, timezones, tz)
    except EventError as exc:
        return "failed", [(exc.where or event_where(block), str(exc))]
    try:
        with transaction.atomic():
            outcome, note = importer.apply(event)
    except (ValidationError, PermissionDenied) as exc:
        return "failed", [(event.where(), _messages(exc))]
    return outcome, [(event.where(), note)] if note else []


def ical_import_run(ctx: JobContext) -> None:
    """The job: import the events of one uploaded .ics from the checkpoint on."""
    upload = CalendarImport.objects.filter(pk=ctx.job.params.get("import_id")).first()
    if upload is None:
        raise JobFailed(_("The uploaded file is gone; upload it again."))
    actor = ctx.job.started_by
    if actor is None or not actor.is_active:
        raise JobFailed(_("The user who started the import can no longer sign in."))
    tz = user_zone(getattr(actor, "time_zone", ""))
    with upload.file.open("rb") as stream:
        timezones, problems = read_timezones(stream)
    if ctx.job.total is None:
        with upload.file.open("rb") as stream:
            total = count_blocks(stream, "VEVENT")
        if not total:
            raise JobFailed(
                _("“%(file)s” holds no event (no BEGIN:VEVENT line).") % {"file": upload.filename}
            )
        ctx.set_total(total)
        for problem in problems:
            ctx.error(where=upload.filename, message=problem)
    importer = EventImporter(actor)
    import_blocks(
        ctx,
        upload,
        "VEVENT",
        "event",
        lambda block: import_event_block(importer, block, timezones, tz),
    )
