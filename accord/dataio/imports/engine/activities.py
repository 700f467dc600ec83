"""Importing interactions and follow-ups: their organizations and people are found among the
visible records (by external id, name or email address), never created; an interaction is the same
as one that happened in the same minute with the same subject, a follow-up the same as one with
the same title, due date and parties."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from accord.core import visibility
from accord.interactions.choices import Direction, FollowUpStatus, InteractionKind
from accord.interactions.services import bulk as services_bulk

from .. import selectors
from ..choices import ImportKind, RowAction
from ..parsing import parse_choice, parse_date, parse_datetime, parse_int
from .base import Handler, Planned, RowData
from .matching import exact_name_key

KIND_WORDS = {
    "anruf": "call",
    "telefonat": "call",
    "telefon": "call",
    "phone": "call",
    "phonecall": "call",
    "mail": "email",
    "treffen": "meeting",
    "termin": "meeting",
    "besprechung": "meeting",
    "besuch": "visit",
    "brief": "letter",
    "notiz": "note",
}
DIRECTION_WORDS = {
    "ein": "inbound",
    "eingehend": "inbound",
    "in": "inbound",
    "incoming": "inbound",
    "aus": "outbound",
    "ausgehend": "outbound",
    "out": "outbound",
    "outgoing": "outbound",
    "intern": "internal",
}
STATUS_WORDS = {
    "offen": "open",
    "erledigt": "done",
    "abgesagt": "cancelled",
    "storniert": "cancelled",
}


class PartiesHandler(Handler):
    """Find the row's organization and person among the visible ones."""

    def prepare_parties(self) -> None:
        self.orgs = selectors.organization_index(self.actor)
        self.created: dict[Any, int] = {}  # match key → id (or temporary id) of rows of this file

    def parties_of(self, batch: list[RowData]) -> None:
        """Fill `organization_id` / `person_id` of each row (one query per kind and batch)."""
        actor = self.actor
        emails = [d.raw["person_email"].strip().lower() for d in batch if d.raw.get("person_email")]
        externals = [d.raw["person_external_id"] for d in batch if d.raw.get("person_external_id")]
        by_email = selectors.people_by_email(actor, emails)
        by_external = selectors.people_by_external_id(actor, externals)
        for data in batch:
            raw = data.raw
            org_id = None
            if raw.get("organization_external_id"):
                org_id = self.orgs.by_external.get(raw["organization_external_id"])
                if org_id is None:
                    self.fail(
                        data,
                        "organization_external_id",
                        _("No organization you may see has this external id."),
                    )
            elif raw.get("organization"):
                org_id = self.orgs.by_name.get(exact_name_key(raw["organization"]))
                if org_id is None:
                    self.fail(data, "organization", _("No organization you may see has this name."))
            person_id = None
            if raw.get("person_external_id"):
                person_id = by_external.get(raw["person_external_id"])
                if person_id is None:
                    self.fail(
                        data, "person_external_id", _("No person you may see has this external id.")
                    )
            elif raw.get("person_email"):
                person_id = by_email.get(raw["person_email"].strip().lower())
                if person_id is None:
                    self.fail(
                        data, "person_email", _("No person you may see has this email address.")
                    )
            data.values["organization_id"] = org_id if org_id and org_id > 0 else None
            data.values["person_id"] = person_id

    def plan_matches(
        self,
        batch: list[RowData],
        known: dict[Any, int],
        *,
        key: Callable[[dict[str, Any]], Any],
        reason: str,
        load: Callable[[Any, list[int]], dict[int, Any]],
        field: str,
        refusal: str,
    ) -> list[Planned]:
        """Plan rows matched by `key` against stored records (`known`) and earlier rows of the
        file; a stored match the user may not change refuses the row on `field`."""
        planned = []
        for data in batch:
            p = Planned(data=data)
            planned.append(p)
            if data.errors:
                p.action = RowAction.ERROR
                continue
            row_key = key(data.values)
            target = known.get(row_key) or self.created.get(row_key)
            if target:
                p.target, p.reason = self.resolve(target), reason
                p.action = self.matched_action()
            if p.action == RowAction.CREATE:
                p.target = self.temp_id()
                self.created.setdefault(row_key, p.target)
        existing = load(
            self.actor, [p.target for p in planned if p.action == RowAction.UPDATE and p.target]
        )
        for p in planned:
            if p.action == RowAction.UPDATE and (p.target or 0) > 0:
                obj = existing.get(p.target or 0)
                if obj is None or not visibility.can_change(self.actor, obj):
                    self.refuse(p, field, refusal)
                else:
                    p.payload = obj
        return planned


class InteractionHandler(PartiesHandler):
    kind = ImportKind.INTERACTIONS

    def prepare(self) -> None:
        self.prepare_parties()

    def parse(self, data: RowData) -> None:
        raw = data.raw
        values: dict[str, Any] = {
            "kind": self.convert(
                data, "kind", lambda t: parse_choice(t, InteractionKind.choices, KIND_WORDS), "note"
            ),
            "direction": self.convert(
                data,
                "direction",
                lambda t: parse_choice(t, Direction.choices, DIRECTION_WORDS),
                Direction.OUTBOUND,
            ),
            "occurred_at": self.convert(
                data, "occurred_at", lambda t: parse_datetime(t, self.zone)
            ),
            "subject": raw.get("subject", ""),
            "body": raw.get("body", ""),
            "duration_minutes": self.convert(data, "duration_minutes", parse_int),
        }
        if "occurred_at" not in raw:
            self.fail(data, "occurred_at", _("This field cannot be blank."))
        cleaned, errors = services_bulk.interaction_clean(values)
        if values["occurred_at"] is None:
            errors.pop("occurred_at", None)  # missing or unreadable: said once already
        self.fail_all(data, errors, {})
        data.values = cleaned
        data.label = raw.get("subject", "")

    def plan(self, batch: list[RowData]) -> list[Planned]:
        self.parties_of([d for d in batch if not d.errors])
        for data in batch:
            if (
                not data.errors
                and not data.values["organization_id"]
                and not data.values["person_id"]
            ):
                self.fail(
                    data,
                    "organization",
                    _("Name the organization or the person (by email or external id)."),
                )
        ok = [d for d in batch if not d.errors]
        known = selectors.interactions_by_key(self.actor, [d.values["occurred_at"] for d in ok])
        return self.plan_matches(
            batch,
            known,
            key=lambda v: selectors.interaction_key(v["occurred_at"], v["subject"]),
            reason=_("same time and subject"),
            load=selectors.interactions_by_id,
            field="subject",
            refusal=_("It matches an interaction you may not change."),
        )

    def apply(self, planned: list[Planned]) -> dict[str, int]:
        creates = [p for p in planned if p.action == RowAction.CREATE]
        rows = []
        for p in creates:
            values = {
                k: v for k, v in p.data.values.items() if k not in ("organization_id", "person_id")
            }
            org, person = p.data.values["organization_id"], p.data.values["person_id"]
            rows.append(
                services_bulk.InteractionImport(
                    values=values,
                    organization_ids=[org] if org else [],
                    person_ids=[person] if person else [],
                )
            )
        created = services_bulk.interactions_bulk_create(
            actor=self.actor, rows=rows, reason=self.reason
        )
        for p, pk in zip(creates, created, strict=True):
            self.resolved[p.target] = pk  # type: ignore[index]
        changes = [
            (p.payload, p.data.values)
            for p in planned
            if p.action == RowAction.UPDATE and p.payload
        ]
        services_bulk.interactions_bulk_update(
            actor=self.actor, changes=changes, reason=self.reason
        )
        return {}


class FollowUpHandler(PartiesHandler):
    kind = ImportKind.FOLLOW_UPS

    def prepare(self) -> None:
        self.prepare_parties()
        self.users = selectors.active_users_by_email()

    def parse(self, data: RowData) -> None:
        raw = data.raw
        values: dict[str, Any] = {
            "title": raw.get("title", ""),
            "notes": raw.get("notes", ""),
            "due_date": self.convert(data, "due_date", parse_date),
            "status": self.convert(
                data,
                "status",
                lambda t: parse_choice(t, FollowUpStatus.choices, STATUS_WORDS),
                FollowUpStatus.OPEN,
            ),
        }
        if "due_date" not in raw:
            self.fail(data, "due_date", _("This field cannot be blank."))
        cleaned, errors = services_bulk.followup_clean(values)
        if values["due_date"] is None:
            errors.pop("due_date", None)  # missing or unreadable: said once already
        self.fail_all(data, errors, {})
        assignee = raw.get("assignee", "").strip().lower()
        cleaned["assignee_id"] = None
        if assignee:
            cleaned["assignee_id"] = self.users.get(assignee)
            if cleaned["assignee_id"] is None:
                self.fail(data, "assignee", _("No active user has this email address."))
        data.values = cleaned
        data.label = raw.get("title", "")

    def plan(self, batch: list[RowData]) -> list[Planned]:
        self.parties_of([d for d in batch if not d.errors])
        ok = [d for d in batch if not d.errors]
        known = selectors.follow_ups_by_key(self.actor, [d.values["due_date"] for d in ok])
        return self.plan_matches(
            batch,
            known,
            key=lambda v: selectors.follow_up_key(
                v["title"], v["due_date"], v["organization_id"], v["person_id"]
            ),
            reason=_("same title, due date and parties"),
            load=selectors.follow_ups_by_id,
            field="title",
            refusal=_("It matches a follow-up you may not change."),
        )

    def apply(self, planned: list[Planned]) -> dict[str, int]:
        creates = [p for p in planned if p.action == RowAction.CREATE]
        created = services_bulk.followups_bulk_create(
            actor=self.actor, rows=[dict(p.data.values) for p in creates], reason=self.reason
        )
        for p, pk in zip(creates, created, strict=True):
            self.resolved[p.target] = pk  # type: ignore[index]
        changes = [
            (p.payload, p.data.values)
            for p in planned
            if p.action == RowAction.UPDATE and p.payload
        ]
        services_bulk.followups_bulk_update(actor=self.actor, changes=changes, reason=self.reason)
        return {}
