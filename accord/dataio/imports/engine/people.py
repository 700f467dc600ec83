"""Importing people with their positions: matched by external id, then email address, then by
similar name; the organization a row names is found by external id or name among the visible
organizations, or created with the batch."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accord.core import visibility
from accord.parties.choices import BuyingRole, ContactKind
from accord.parties.services import bulk

from .. import selectors
from ..choices import ImportKind, RowAction
from ..parsing import parse_choice, parse_date, split_list, split_name
from .ahead import Ahead
from .base import Handler, Planned, RowData
from .matching import exact_name_key
from .organizations import not_changeable

BUYING_ROLE_WORDS = {
    "entscheider": "decision_maker",
    "entscheidungstraeger": "decision_maker",
    "einkaeufer": "economic_buyer",
    "budgetverantwortlicher": "economic_buyer",
    "beeinflusser": "influencer",
    "technischerbewerter": "technical_evaluator",
    "anwender": "user",
    "nutzer": "user",
    "tuersteher": "gatekeeper",
    "fuersprecher": "champion",
    "blockierer": "blocker",
}
NAME_FIELDS = ("salutation", "academic_title", "first_name", "last_name")
EMAIL_KEYS = ("email", "email2")
PHONE_KEYS = ("phone", "mobile")
ORG_EXTERNAL = "organization_external_id"


def _check(key: tuple[str, str, str]) -> tuple[str, tuple[str, ...]]:
    """(the value to store or "", error messages) for ("email", text, "") or ("phone", text,
    country): `bulk.email_clean` and `bulk.phone_clean`."""
    kind, text, country = key
    errors: dict[str, list[str]] = {}
    if kind == "email":
        value = bulk.email_clean(text, errors, "value")
    else:
        value = bulk.phone_clean(text, country, errors, "value")
    return value, tuple(errors.get("value", ()))


class PersonHandler(Handler):
    kind = ImportKind.PEOPLE

    def prepare(self) -> None:
        self.orgs = selectors.organization_index(self.actor)
        self.names = selectors.person_name_index(self.actor)
        self.by_email: dict[str, int] = {}  # addresses of people this run creates
        self.by_external: dict[str, int] = {}
        self.pending: dict[int, Planned] = {}
        self.new_orgs: dict[int, dict[str, str]] = {}  # temp id → name, external id
        self.orgs_planned = 0
        # addresses and numbers, checked ahead of reading (see `prefetch`) and remembered
        self._checked: Ahead[tuple[str, str, str], tuple[str, tuple[str, ...]]] = Ahead(_check)
        self._checked_columns = [
            (i, "email" if key in EMAIL_KEYS else "phone")
            for i, key in self.mapping.items()
            if key in EMAIL_KEYS or key in PHONE_KEYS
        ]
        self._org_columns = (self.index_of.get("organization"), self.index_of.get(ORG_EXTERNAL))

    def close(self) -> None:
        self._checked.close()

    def prefetch(self, batch: list[tuple[int, list[str]]]) -> None:
        """The addresses and numbers of the next batch, checked ahead (see `ahead`)."""
        if not self._checked_columns:
            return
        name_at, external_at = self._org_columns
        width = len(batch[0][1]) if batch else 0  # the reader gives every row the header's width
        name_at = name_at if name_at is not None and name_at < width else None
        external_at = external_at if external_at is not None and external_at < width else None
        columns = [(i, kind) for i, kind in self._checked_columns if i < width]
        keys: list[tuple[str, str, str]] = []
        for _row, cells in batch:
            ref = self._organization_ref(
                {
                    "organization": cells[name_at] if name_at is not None else "",
                    ORG_EXTERNAL: cells[external_at] if external_at is not None else "",
                }
            )
            country = self._country(ref)
            keys.extend(
                (kind, cells[i], country if kind == "phone" else "")
                for i, kind in columns
                if cells[i]
            )
        self._checked.submit(keys)

    # --- reading --------------------------------------------------------------------------
    def parse(self, data: RowData) -> None:
        raw = data.raw
        values: dict[str, Any] = {
            k: raw[k] for k in (*NAME_FIELDS, "notes", "external_id") if k in raw
        }
        if raw.get("full_name"):
            for key, part in split_name(raw["full_name"]).items():
                if part and not values.get(key):
                    values[key] = part
        values.setdefault("last_name", "")
        person, errors = bulk.person_clean(values)
        self.fail_all(
            data,
            errors,
            {"last_name": "last_name" if "last_name" in self.column_of else "full_name"},
        )
        org_ref = self._organization_ref(raw)
        country = self._country(org_ref)
        emails, phones = [], []
        for key in EMAIL_KEYS:
            if raw.get(key):
                email, messages = self._checked(("email", raw[key], ""))
                for message in messages:
                    self.fail(data, key, message)
                if email:
                    emails.append(email)
        for key, kind in zip(PHONE_KEYS, (ContactKind.WORK, ContactKind.MOBILE), strict=True):
            if raw.get(key):
                number, messages = self._checked(("phone", raw[key], country))
                for message in messages:
                    self.fail(data, key, message)
                if number:
                    phones.append((number, str(kind)))
        position: dict[str, Any] = {
            "title": raw.get("job_title", ""),
            "department": raw.get("department", ""),
            "buying_role": self.convert(
                data,
                "buying_role",
                lambda t: parse_choice(t, BuyingRole.choices, BUYING_ROLE_WORDS),
                "",
            ),
            "start_date": self.convert(data, "start_date", parse_date),
        }
        position, errors = bulk.position_clean(position)
        self.fail_all(data, errors, {"title": "job_title"})
        if not org_ref and any(position.values()):
            self.fail(
                data,
                "job_title",
                _("A job title, department, buying role or start date needs an organization."),
            )
        data.values = {
            "person": person,
            "emails": emails,
            "phones": phones,
            "position": position,
            "organization": org_ref,
            "tags": split_list(raw.get("tags", "")),
        }
        data.label = " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)

    def _country(self, ref: tuple[int | None, str, str] | None) -> str:
        """The country a row's phone numbers are read in: its organization's, if stored (the
        organizations this import creates have none)."""
        return self.orgs.country.get(ref[0], "") if ref and ref[0] else ""

    def _organization_ref(self, raw: dict[str, str]) -> tuple[int | None, str, str] | None:
        """(id of a visible organization or None, name, external id) for the row's organization."""
        name, external_id = raw.get("organization", ""), raw.get(ORG_EXTERNAL, "")
        if not name and not external_id:
            return None
        found = None
        if external_id:
            found = self.orgs.by_external.get(external_id)
        if found is None and name:
            found = self.orgs.by_name.get(exact_name_key(name))
        return found, name, external_id

    # --- planning -------------------------------------------------------------------------
    def plan(self, batch: list[RowData]) -> list[Planned]:
        self.pending.clear()  # a row may only merge into a record created in its own batch
        if not self.dry_run:
            # the import commits each batch: the people it created are found in the database
            # by address and external id from the next batch on (memory stays flat)
            self.by_email.clear()
            self.by_external.clear()
        ok = [d for d in batch if not d.errors]
        emails = [e for d in ok for e in d.values["emails"]]
        known_email = selectors.people_by_email(self.actor, emails)
        externals = [d.values["person"].get("external_id", "") for d in ok]
        known_external = selectors.people_by_external_id(self.actor, externals)
        planned = [self._match(d, known_email, known_external) for d in batch]
        existing = selectors.people_by_id(
            self.actor, [p.target for p in planned if p.action == RowAction.UPDATE and p.target]
        )
        for p in planned:
            if p.action == RowAction.UPDATE and p.target and p.target > 0:
                person = existing.get(p.target)
                if person is None or not visibility.can_change(self.actor, person):
                    name = person.full_name if person else (p.similar.label if p.similar else "")
                    self.refuse(p, "last_name", not_changeable(name, p.reason))
                    continue
                p.payload = (person, self._payload(p.data, for_update=True))
            elif p.action == RowAction.UPDATE and p.target:
                self._merge_into_pending(p)
        for p in planned:
            if p.action in (RowAction.CREATE, RowAction.UPDATE):
                self._plan_organization(p)
            if p.action == RowAction.UPDATE and p.target:
                self._remember_update(p)
        return planned

    def _remember_update(self, p: Planned) -> None:
        """The addresses and external id an update gives a record find it from the next batch on,
        as the import finds them in the database once the batch is written (so that the dry run
        says what the import will do)."""
        for email in p.data.values["emails"]:
            self.by_email.setdefault(email, p.target or 0)
        external_id = p.data.values["person"].get("external_id")
        if external_id:
            self.by_external.setdefault(external_id, p.target or 0)

    def _match(self, data: RowData, known_email: dict, known_external: dict) -> Planned:
        p = Planned(data=data)
        if data.errors:
            p.action = RowAction.ERROR
            return p
        person, emails = data.values["person"], data.values["emails"]
        external_id = person.get("external_id", "")
        target, reason = None, ""
        if external_id:
            target = known_external.get(external_id) or self.by_external.get(external_id)
            reason = _("same external id") if target else ""
        if target is None:
            for email in emails:
                target = known_email.get(email) or self.by_email.get(email)
                if target:
                    reason = _("same email address %(email)s") % {"email": email}
                    break
        if target is None:
            similar = self.names.similar(
                first=person.get("first_name", ""), last=person.get("last_name", "")
            )
            if similar is not None:
                self._judge(similar, data)
                p.similar = similar
                p.decision = self.similar_decision(data, similar)
                if p.decision == "same":
                    target = similar.record_id
                    reason = _("similar name (%(score)s %%)") % {"score": similar.score}
        if target is not None:
            p.target, p.reason = self.resolve(target), reason
            p.action = self.matched_action()
        if p.action == RowAction.CREATE:
            p.target = self.temp_id()
            p.payload = self._payload(data, for_update=False)
            self.pending[p.target] = p
            self._register(p.target, data)
        return p

    def _judge(self, similar: Any, data: RowData) -> None:
        """A same-named person with another address or at another organization is not taken for
        the same one without asking."""
        email, org = similar.facts or ("", None)
        org_ref = data.values["organization"]
        row_org = self.resolve(org_ref[0]) if org_ref and org_ref[0] else None
        emails = data.values["emails"]
        if (emails and email and email not in emails) or (
            row_org and org and row_org != self.resolve(org)
        ):
            similar.identical = False

    def _register(self, record_id: int, data: RowData) -> None:
        person = data.values["person"]
        for email in data.values["emails"]:
            self.by_email.setdefault(email, record_id)
        if person.get("external_id"):
            self.by_external.setdefault(person["external_id"], record_id)
        org_ref = data.values["organization"]
        self.names.add(
            record_id,
            first=person.get("first_name", ""),
            last=person.get("last_name", ""),
            email=data.values["emails"][0] if data.values["emails"] else "",
            organization_id=org_ref[0] if org_ref else None,
        )

    @staticmethod
    def _payload(data: RowData, *, for_update: bool) -> bulk.PersonImport:
        values = dict(data.values["person"])
        if for_update:
            values = {k: v for k, v in values.items() if v not in ("", None)}
        position = {k: v for k, v in data.values["position"].items() if v not in ("", None)}
        return bulk.PersonImport(
            values=values,
            emails=list(data.values["emails"]),
            phones=list(data.values["phones"]),
            position=position if data.values["organization"] else None,
        )

    def _merge_into_pending(self, p: Planned) -> None:
        """A row matching a person this same run creates: add its addresses and numbers, fill
        empty fields."""
        target = self.pending.get(p.target or 0)
        if target is None:
            return
        payload: bulk.PersonImport = target.payload
        for name, value in p.data.values["person"].items():
            if value and not payload.values.get(name):
                payload.values[name] = value
        payload.emails = list(dict.fromkeys([*payload.emails, *p.data.values["emails"]]))
        payload.phones = list(dict.fromkeys([*payload.phones, *p.data.values["phones"]]))
        target.data.values["tags"] = [*target.data.values["tags"], *p.data.values["tags"]]

    def _plan_organization(self, p: Planned) -> None:
        """Point the position at the organization: a visible one, or one to create (once per run
        and name)."""
        org_ref = p.data.values["organization"]
        payload = p.payload[1] if isinstance(p.payload, tuple) else p.payload
        if not org_ref or payload is None or payload.position is None:
            return
        org_id, name, external_id = org_ref
        if org_id is None:
            org_id = (self.orgs.by_external.get(external_id) if external_id else None) or (
                self.orgs.by_name.get(exact_name_key(name)) if name else None
            )
        if org_id is None:
            if not name:
                self.refuse(
                    p,
                    "organization_external_id",
                    _(
                        "No organization you may see has the external id “%(id)s”; add a column "
                        "with its name to create it."
                    )
                    % {"id": external_id},
                )
                return
            org_id = self.temp_id()
            self.new_orgs[org_id] = {"name": name, "external_id": external_id}
            self.orgs.add(org_id, name=name, external_id=external_id)
            self.orgs_planned += 1
            p.extra["organization_created"] = True
        payload.position["organization_id"] = org_id

    # --- writing --------------------------------------------------------------------------
    def apply(self, planned: list[Planned]) -> dict[str, int]:
        live = [
            p for p in planned if p.action in (RowAction.CREATE, RowAction.UPDATE) and p.payload
        ]
        org_temp = sorted(
            {
                payload.position["organization_id"]
                for payload in (
                    p.payload[1] if isinstance(p.payload, tuple) else p.payload for p in live
                )
                if payload.position
                and payload.position.get("organization_id", 0) < 0
                and payload.position["organization_id"] not in self.resolved
            },
            reverse=True,
        )
        if org_temp:
            rows = [
                {
                    "name": self.new_orgs[t]["name"],
                    "external_id": self.new_orgs[t]["external_id"],
                }
                for t in org_temp
            ]
            created = bulk.organizations_bulk_create(
                actor=self.actor, rows=rows, reason=self.reason
            )
            for temp, pk in zip(org_temp, created, strict=True):
                self.resolved[temp] = pk
        tag_names = [t for p in live for t in p.data.values["tags"]]
        tags = bulk.tags_by_name(actor=self.actor, names=tag_names)
        for p in live:
            payload = p.payload[1] if isinstance(p.payload, tuple) else p.payload
            if payload.position:
                payload.position["organization_id"] = self.resolve(
                    payload.position["organization_id"]
                )
            payload.tag_ids = [
                tags[t.casefold()].pk for t in p.data.values["tags"] if t.casefold() in tags
            ]
        creates = [p for p in live if p.action == RowAction.CREATE]
        people = bulk.people_bulk_create(
            actor=self.actor, rows=[p.payload for p in creates], reason=self.reason
        )
        for p, pk in zip(creates, people, strict=True):
            self.resolved[p.target] = pk  # type: ignore[index]
            self.pending.pop(p.target or 0, None)
        updates = [p.payload for p in live if p.action == RowAction.UPDATE]
        bulk.people_bulk_update(actor=self.actor, changes=updates, reason=self.reason)
        return {}

    def extra_counts(self, planned: list[Planned]) -> dict[str, int]:
        return {
            "organizations_created": sum(1 for p in planned if p.extra.get("organization_created"))
        }
