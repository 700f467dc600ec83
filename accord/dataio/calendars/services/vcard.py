"""vCard import: each card of an uploaded .vcf becomes a person (with addresses, numbers and a
position at their organization), through the parties services.

A card whose email address a person the importer may see already has is a duplicate, handled as the
upload chose (as in the CSV import): update that person, skip the card, or create a new person
anyway. The job reads the file card by card and commits in batches; the number of the last
committed card is saved in the same transaction as the batch, so a retried job goes on after it and
imports every card once. A card that cannot be read or stored is reported with its number (and
name) and the others go on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.core.jobs import JobContext, JobFailed
from accord.parties import selectors as party_selectors
from accord.parties import services as parties
from accord.parties.models import Organization, Person, PersonPhone, Position
from accord.parties.validators import normalize_phone

from ..choices import DuplicateMode
from ..models import CalendarImport
from ..parsing import Block, CardError, PersonCard, count_blocks, parse_vcard
from .batches import import_blocks

CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"


def _messages(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                for field, msgs in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc)


class CardImporter:
    """Turns parsed cards into people for one user; organizations are looked up (or created) once
    per name."""

    def __init__(self, *, actor: Any, on_duplicate: str, create_organizations: bool) -> None:
        self.actor = actor
        self.on_duplicate = on_duplicate
        self.create_organizations = create_organizations
        self._orgs: dict[str, Organization | None] = {}

    # -- organizations ---------------------------------------------------------------------
    def organization(self, name: str) -> Organization | None:
        key = name.casefold()
        if key not in self._orgs:
            found = (
                Organization.objects.visible_to(self.actor)
                .filter(name__iexact=name)
                .order_by("is_archived", "pk")
                .first()
            )
            if found is None and self.create_organizations:
                found = parties.organization_create(actor=self.actor, data={"name": name})
            self._orgs[key] = found
        return self._orgs[key]

    # -- one card ---------------------------------------------------------------------------
    def phones(self, card: PersonCard, country: str) -> list[tuple[str, str]]:
        valid = []
        for number, kind in card.phones:
            try:
                valid.append((normalize_phone(number, country or "DE"), kind))
            except ValidationError:
                card.warnings.append(
                    _("“%(value)s” is not a phone number; left out") % {"value": number}
                )
        return list(dict.fromkeys(valid))

    def match(self, card: PersonCard) -> Person | None:
        for address, _kind in card.emails:
            people = party_selectors.people_with_email(self.actor, address)
            if people:
                return people[0]
        return None

    def apply(self, card: PersonCard) -> str:
        """Create, update or skip for one card; returns which. Raises ValidationError or
        PermissionDenied with the reason when the card cannot be stored."""
        existing = self.match(card) if self.on_duplicate != DuplicateMode.CREATE else None
        if existing is not None and self.on_duplicate == DuplicateMode.SKIP:
            return SKIPPED
        org = self.organization(card.organization) if card.organization else None
        notes = card.notes
        if card.organization and org is None:
            line = _("Organization: %(name)s") % {"name": card.organization}
            notes = f"{notes}\n\n{line}".strip()
        phones = self.phones(card, str(org.country) if org and org.country else "DE")
        if existing is not None:
            self.update(existing, card, org, phones, notes)
            return UPDATED
        data: dict[str, Any] = {
            "first_name": card.first_name,
            "last_name": card.last_name,
            "salutation": card.salutation,
            "academic_title": card.academic_title,
            "notes": notes,
            "emails": [{"email": e, "kind": k} for e, k in card.emails],
            "phones": [{"number": n, "kind": k} for n, k in phones],
            "tags": parties.resolve_tags(actor=self.actor, values=card.tags),
            "confirm_duplicate": True,
        }
        if org is not None:
            data["positions"] = [
                {
                    "organization": org,
                    "title": card.title,
                    "department": card.department,
                    "is_primary": True,
                }
            ]
        parties.person_create(actor=self.actor, data=data)
        return CREATED

    def update(
        self,
        person: Person,
        card: PersonCard,
        org: Organization | None,
        phones: list[tuple[str, str]],
        notes: str,
    ) -> None:
        """The card's names replace the person's; addresses, numbers, a position and tags the
        person does not have yet are added; nothing is removed."""
        if not visibility.can_change(self.actor, person):
            raise PermissionDenied(
                _("it matches %(name)s (person %(id)s), whom you may not change")
                % {"name": person.full_name, "id": person.pk}
            )
        values: dict[str, Any] = {
            k: v
            for k, v in {
                "first_name": card.first_name,
                "last_name": card.last_name,
                "salutation": card.salutation,
                "academic_title": card.academic_title,
            }.items()
            if v and getattr(person, k) != v
        }
        if notes and notes not in person.notes:
            values["notes"] = f"{person.notes}\n\n{notes}".strip()
        if values:
            parties.person_update(actor=self.actor, instance=person, data=values)
        if card.tags:
            tags = parties.resolve_tags(actor=self.actor, values=card.tags)
            person.tags.add(*tags)
        known = set(person.emails.values_list("email", flat=True))
        for address, kind in card.emails:
            if address not in known:
                parties.person_email_add(
                    actor=self.actor,
                    person=person,
                    email=address,
                    kind=kind,
                    confirm_duplicate=True,
                )
        numbers = set(PersonPhone.objects.filter(person=person).values_list("number", flat=True))
        for number, kind in phones:
            if number not in numbers:
                parties.person_phone_add(actor=self.actor, person=person, number=number, kind=kind)
        if org is not None:
            today = timezone.localdate()
            current = Position.objects.filter(person=person, organization=org).exclude(
                end_date__lt=today
            )
            if not current.exists():
                parties.position_create(
                    actor=self.actor,
                    data={
                        "person": person,
                        "organization": org,
                        "title": card.title,
                        "department": card.department,
                        "is_primary": not person.organization_id,
                    },
                )


def _card_from_block(block: Block) -> PersonCard:
    return parse_vcard(block)


def _where(block: Block, card: PersonCard | None = None) -> str:
    if card is not None:
        return card.where()
    return _("card %(number)d (line %(line)d)") % {"number": block.number, "line": block.line}


def import_card_block(importer: CardImporter, block: Block) -> tuple[str, list[tuple[str, str]]]:
    """Store one card block (in a savepoint); returns the outcome ("created", "updated",
    "skipped" or "failed") and the (where, message) entries to report."""
    try:
        card = _card_from_block(block)
    except CardError as exc:
        return "failed", [(_where(block), str(exc))]
    reports = []
    try:
        with transaction.atomic():
            outcome = importer.apply(card)
    except (ValidationError, PermissionDenied) as exc:
        return "failed", [(card.where(), _messages(exc))]
    reports += [(card.where(), w) for w in card.warnings]
    return outcome, reports


def vcard_import_run(ctx: JobContext) -> None:
    """The job: import the cards of one uploaded .vcf from the checkpoint on."""
    upload = CalendarImport.objects.filter(pk=ctx.job.params.get("import_id")).first()
    if upload is None:
        raise JobFailed(_("The uploaded file is gone; upload it again."))
    actor = ctx.job.started_by
    if actor is None or not actor.is_active:
        raise JobFailed(_("The user who started the import can no longer sign in."))
    importer = CardImporter(
        actor=actor,
        on_duplicate=upload.on_duplicate,
        create_organizations=upload.create_organizations,
    )
    if ctx.job.total is None:
        with upload.file.open("rb") as stream:
            total = count_blocks(stream, "VCARD")
        if not total:
            raise JobFailed(
                _("“%(file)s” holds no vCard (no BEGIN:VCARD line).") % {"file": upload.filename}
            )
        ctx.set_total(total)
    import_blocks(ctx, upload, "VCARD", "card", lambda block: import_card_block(importer, block))
