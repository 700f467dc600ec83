"""Importing organizations: matched by external id, VAT id, web domain, then by similar name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.core import visibility
from accord.parties.choices import Industry, OrganizationRole, OrganizationSize
from accord.parties.models import role_field
from accord.parties.services import bulk

from .. import selectors
from ..choices import ImportKind, RowAction
from ..parsing import parse_choice, parse_country, split_list
from .base import Handler, Planned, RowData

ROLE_WORDS = {
    "kunde": "client",
    "kunden": "client",
    "customer": "client",
    "interessent": "prospect",
    "lead": "prospect",
    "lieferant": "supplier",
    "vendor": "supplier",
    "dienstleister": "service_provider",
    "wettbewerber": "competitor",
    "konkurrent": "competitor",
    "mitbewerber": "competitor",
    "behoerde": "authority",
    "kommune": "authority",
    "gemeinde": "authority",
    "intern": "internal",
    "geschaeftsbereich": "internal",
}
SIZE_WORDS = {"1-9": "micro", "10-49": "small", "50-249": "medium", "250-999": "large"}
TEXT_FIELDS = (
    "name",
    "legal_name",
    "website",
    "email",
    "phone",
    "vat_id",
    "street",
    "postal_code",
    "city",
    "region",
    "notes",
    "external_id",
)
MATCH_REASONS = {
    "external_id": gettext_lazy("same external id"),
    "vat_id": gettext_lazy("same VAT id"),
    "domain": gettext_lazy("same web domain"),
}


def not_changeable(name: str, reason: str) -> str:
    return _(
        "It matches “%(name)s” (%(reason)s), which you may not change; choose “skip” or "
        "“create anyway” for matched records."
    ) % {"name": name, "reason": reason}


def _role_choice(text: str) -> str:
    return parse_choice(text, OrganizationRole.choices, ROLE_WORDS)


class OrganizationHandler(Handler):
    kind = ImportKind.ORGANIZATIONS

    def prepare(self) -> None:
        self.index = selectors.organization_index(self.actor)
        self.pending: dict[int, Planned] = {}

    def parse(self, data: RowData) -> None:
        raw = data.raw
        values: dict[str, Any] = {k: raw[k] for k in TEXT_FIELDS if raw.get(k)}
        if raw.get("roles"):
            roles = []
            for part in split_list(raw["roles"]):
                try:
                    roles.append(_role_choice(part))
                except ValueError as exc:
                    self.fail(data, "roles", str(exc))
            values["roles"] = roles
        values["industry"] = self.convert(
            data, "industry", lambda t: parse_choice(t, Industry.choices), ""
        )
        values["size"] = self.convert(
            data, "size", lambda t: parse_choice(t, OrganizationSize.choices, SIZE_WORDS), ""
        )
        values["country"] = self.convert(data, "country", parse_country, "")
        values.setdefault("name", "")
        cleaned, errors = bulk.organization_clean(values)
        keys = {role_field(r.value): "roles" for r in OrganizationRole}
        self.fail_all(data, errors, keys)
        data.values = {k: v for k, v in cleaned.items() if v is not None}
        data.values["tags"] = split_list(raw.get("tags", ""))
        data.label = raw.get("name", "")

    def plan(self, batch: list[RowData]) -> list[Planned]:
        self.pending.clear()  # a row may only merge into a record created in its own batch
        planned = [self._match(data) for data in batch]
        existing = selectors.organizations_by_id(
            self.actor,
            [p.target for p in planned if p.action == RowAction.UPDATE and p.target],
        )
        for p in planned:
            if p.action == RowAction.UPDATE and p.target and p.target > 0:
                obj = existing.get(p.target)
                if obj is None or not visibility.can_change(self.actor, obj):
                    name = obj.name if obj else p.extra.get("matched", "")
                    self.refuse(p, "name", not_changeable(name, p.reason))
                else:
                    p.payload = (obj, self._update_values(obj, p.data.values))
            elif p.action == RowAction.UPDATE and p.target:
                self._merge_into_pending(p)
        return planned

    def _match(self, data: RowData) -> Planned:
        p = Planned(data=data)
        if data.errors:
            p.action = RowAction.ERROR
            return p
        values = data.values
        found = self.index.exact(
            external_id=values.get("external_id", ""),
            vat_id=values.get("vat_id", ""),
            website=values.get("website", ""),
            email=values.get("email", ""),
        )
        if found:
            p.target, reason = self.resolve(found[0]), found[1]
            p.reason = str(MATCH_REASONS[reason])
        else:
            similar = self.index.similar(values["name"])
            if similar is not None:
                p.similar = similar
                p.decision = self.similar_decision(data, similar)
                if p.decision == "same":
                    p.target = self.resolve(similar.record_id)
                    p.reason = _("similar name (%(score)s %%)") % {"score": similar.score}
        if p.target is not None:
            p.extra["matched"] = p.similar.label if p.similar else ""
            p.action = self.matched_action()
        if p.action == RowAction.CREATE:
            p.target = self.temp_id()
            p.payload = dict(values)
            self.pending[p.target] = p
            self.index.add(
                p.target,
                name=values["name"],
                external_id=values.get("external_id", ""),
                vat_id=values.get("vat_id", ""),
                website=values.get("website", ""),
                email=values.get("email", ""),
                country=values.get("country", ""),
            )
        return p

    @staticmethod
    def _update_values(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
        """Given, non-empty values overwrite; roles are added, never taken away."""
        changes = {}
        for name, value in values.items():
            if name == "tags" or value in ("", None):
                continue
            if name.startswith("is_"):
                if value:
                    changes[name] = True
                continue
            changes[name] = value
        changes["tags"] = values.get("tags", [])
        return changes

    def _merge_into_pending(self, p: Planned) -> None:
        """A row matching a record this same run creates: fill that record's empty fields."""
        target = self.pending.get(p.target or 0)
        if target is None or target.payload is None:
            return
        for name, value in p.data.values.items():
            if name == "tags":
                target.payload["tags"] = [*target.payload.get("tags", []), *value]
            elif value not in ("", None, False) and not target.payload.get(name):
                target.payload[name] = value

    def apply(self, planned: list[Planned]) -> dict[str, int]:
        creates = [p for p in planned if p.action == RowAction.CREATE]
        updates = [p for p in planned if p.action == RowAction.UPDATE and p.payload]
        names = [t for p in creates + updates for t in self._tags(p)]
        tags = bulk.tags_by_name(actor=self.actor, names=names)
        rows = []
        for p in creates:
            values = {k: v for k, v in p.payload.items() if k != "tags"}
            values["tag_ids"] = [
                tags[t.casefold()].pk for t in self._tags(p) if t.casefold() in tags
            ]
            rows.append(values)
        created = bulk.organizations_bulk_create(actor=self.actor, rows=rows, reason=self.reason)
        for p, pk in zip(creates, created, strict=True):
            self.resolved[p.target] = pk  # type: ignore[index]
        changes = []
        for p in updates:
            obj, values = p.payload
            values = {k: v for k, v in values.items() if k != "tags"}
            values["tag_ids"] = [
                tags[t.casefold()].pk for t in self._tags(p) if t.casefold() in tags
            ]
            changes.append((obj, values))
        bulk.organizations_bulk_update(actor=self.actor, changes=changes, reason=self.reason)
        for p in creates:
            self.pending.pop(p.target or 0, None)
        return {}

    @staticmethod
    def _tags(p: Planned) -> list[str]:
        if isinstance(p.payload, tuple):
            return list(p.payload[1].get("tags", []))
        return list((p.payload or {}).get("tags", []))
