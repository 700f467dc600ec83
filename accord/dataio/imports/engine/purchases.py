"""Importing purchase orders and deliveries (an ERP export).

Purchase orders: one row per order line, grouped by order number. The supplier is found among
the visible organizations (external id, VAT id or exact name) and must hold the supplier or
service-provider role; the business unit (by name) the internal role; the category by name. An
order number not known yet creates the order from its first row; later rows add lines. A known
order's line (same line number) is updated or skipped (the import's duplicate setting); the order
itself is not changed by the import.

Deliveries: order number + line number + delivery date (+ delivery note number) + quantities. Rows
of the same order, date and delivery note form one delivery; a line delivered again in the same
delivery is updated or skipped. More than ordered is kept and flagged (the services), never
refused. Errors name the row and the column; rows with errors are not written; each row is written
through the procurement services, so an order or delivery is never half-written.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.parties.models import Organization
from accord.procurement.models import (
    Delivery,
    PurchaseOrder,
    PurchaseOrderStatus,
    SupplyCategory,
)
from accord.procurement.services import purchases as purchase_services

from .. import selectors
from ..choices import ImportKind, RowAction
from ..parsing import parse_choice, parse_date, parse_int
from .base import Handler, Planned, RowData
from .matching import exact_name_key

STATUS_WORDS = {
    "offen": "ordered",
    "bestellt": "ordered",
    "entwurf": "draft",
    "teilgeliefert": "partly_delivered",
    "geliefert": "delivered",
    "storniert": "cancelled",
}
_NUMBER = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")
_THOUSANDS = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+$")


def parse_decimal(text: str) -> Decimal:
    """ "1.234,56", "1,234.56", "12,5", "12.5", "1 200", "1.000" (a thousand) → a Decimal."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").replace("€", "")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", ".")
    elif _THOUSANDS.match(value):
        value = value.replace(".", "")  # "1.000" in a German export is a thousand
    if not _NUMBER.match(value):
        raise ValueError(_("“%(value)s” is no number.") % {"value": text})
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is no number.") % {"value": text}) from None


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: " ".join(m for e in v for m in e.messages) for k, v in exc.error_dict.items()}
    return {"": " ".join(exc.messages)}


class PurchaseOrderHandler(Handler):
    kind = ImportKind.PURCHASE_ORDERS

    def prepare(self) -> None:
        self.orgs = selectors.organization_index(self.actor)
        self.categories = {
            exact_name_key(name): pk
            for pk, name in SupplyCategory.objects.values_list("pk", "name")
        }
        # order number → (temporary or real id, supplier id) of orders this file creates
        self.new_orders: dict[str, tuple[int, int]] = {}
        self.headers: dict[int, dict[str, Any]] = {}  # temporary order id → its header
        self.seen_lines: set[tuple[str, int]] = set()

    def parse(self, data: RowData) -> None:
        raw = data.raw
        for key in (
            "order_number",
            "ordered_on",
            "line_no",
            "description",
            "quantity",
            "unit_price",
        ):
            if not raw.get(key, "").strip():
                self.fail(data, key, _("This field cannot be blank."))
        values: dict[str, Any] = {
            "number": raw.get("order_number", "").strip()[:50],
            "ordered_on": self.convert(data, "ordered_on", parse_date),
            "delivery_date": self.convert(data, "delivery_date", parse_date),
            "line_no": self.convert(data, "line_no", lambda t: parse_int(t, minimum=1)),
            "quantity": self.convert(data, "quantity", parse_decimal),
            "unit_price": self.convert(data, "unit_price", parse_decimal),
            "status": self.convert(
                data,
                "status",
                lambda t: parse_choice(t, PurchaseOrderStatus.choices, STATUS_WORDS),
                PurchaseOrderStatus.ORDERED,
            ),
            "currency": (raw.get("currency", "") or "EUR").strip().upper()[:3],
            "description": raw.get("description", "").strip()[:300],
            "unit": raw.get("unit", "").strip()[:20],
            "note": raw.get("note", ""),
            "external_id": raw.get("order_external_id", "").strip()[:100],
        }
        if values["quantity"] is not None and values["quantity"] <= 0:
            self.fail(data, "quantity", _("Enter a quantity above 0."))
        if values["unit_price"] is not None and values["unit_price"] < 0:
            self.fail(data, "unit_price", _("Enter the agreed unit price (0 or more)."))
        if raw.get("category"):
            values["category_id"] = self.categories.get(exact_name_key(raw["category"]))
            if values["category_id"] is None:
                self.fail(data, "category", _("No supply category has this name."))
        data.values = values
        data.label = f"{values['number']}/{raw.get('line_no', '')}"

    def _supplier_of(self, data: RowData) -> int | None:
        raw = data.raw
        if raw.get("supplier_external_id"):
            found = self.orgs.by_external.get(raw["supplier_external_id"].strip())
            if found is None:
                self.fail(
                    data,
                    "supplier_external_id",
                    _("No organization you may see has this external id."),
                )
            return found
        if raw.get("supplier_vat_id"):
            vat = re.sub(r"[\s.\-]", "", raw["supplier_vat_id"]).upper()
            found = self.orgs.by_vat.get(vat)
            if found is None:
                self.fail(
                    data, "supplier_vat_id", _("No organization you may see has this VAT id.")
                )
            return found
        if raw.get("supplier"):
            found = self.orgs.by_name.get(exact_name_key(raw["supplier"]))
            if found is None:
                self.fail(data, "supplier", _("No organization you may see has this name."))
            return found
        self.fail(data, "supplier", _("Name the supplier (by name, VAT id or external id)."))
        return None

    def plan(self, batch: list[RowData]) -> list[Planned]:
        for data in batch:
            if data.errors:
                continue
            data.values["supplier_id"] = self._supplier_of(data)
            unit = data.raw.get("business_unit", "").strip()
            data.values["business_unit_id"] = None
            if unit:
                data.values["business_unit_id"] = self.orgs.by_name.get(exact_name_key(unit))
                if data.values["business_unit_id"] is None:
                    self.fail(
                        data, "business_unit", _("No organization you may see has this name.")
                    )
        ok = [d for d in batch if not d.errors]
        org_ids = {d.values["supplier_id"] for d in ok} | {
            d.values["business_unit_id"] for d in ok if d.values["business_unit_id"]
        }
        roles = {
            pk: (sup or prov, internal)
            for pk, sup, prov, internal in Organization.objects.filter(pk__in=org_ids).values_list(
                "pk", "is_supplier", "is_service_provider", "is_internal"
            )
        }
        numbers = {d.values["number"] for d in ok}
        existing = {
            o.number: o
            for o in PurchaseOrder.objects.filter(number__in=numbers).prefetch_related("lines")
        }
        planned = []
        for data in batch:
            p = Planned(data=data)
            planned.append(p)
            if data.errors:
                p.action = RowAction.ERROR
                continue
            v = data.values
            supplier_column = next(
                (
                    k
                    for k in ("supplier_external_id", "supplier_vat_id", "supplier")
                    if data.raw.get(k)
                ),
                "supplier",
            )
            if not roles.get(v["supplier_id"], (False, False))[0]:
                self.refuse(
                    p, supplier_column, _("This organization is no supplier or service provider.")
                )
                continue
            if v["business_unit_id"] and not roles.get(v["business_unit_id"], (False, False))[1]:
                self.refuse(
                    p, "business_unit", _("This organization is no internal business unit.")
                )
                continue
            key = (v["number"], v["line_no"])
            if key in self.seen_lines:
                self.refuse(p, "line_no", _("This order line appears twice in the file."))
                continue
            order = existing.get(v["number"])
            if order is not None:
                if not visibility.can_change(self.actor, order):
                    self.refuse(
                        p, "order_number", _("This number belongs to an order you may not change.")
                    )
                    continue
                if order.supplier_id != v["supplier_id"]:
                    self.refuse(p, supplier_column, _("The order has another supplier."))
                    continue
                line = next((li for li in order.lines.all() if li.line_no == v["line_no"]), None)
                p.extra["order"] = order.pk
                if line is not None:
                    p.action = self.matched_action()
                    if p.action == RowAction.CREATE:
                        p.action = RowAction.UPDATE  # a line number exists once per order
                    p.target, p.payload = line.pk, line
                    p.reason = _("same order number and line")
            else:
                known = self.new_orders.get(v["number"])
                if known is not None:
                    if known[1] != v["supplier_id"]:
                        self.refuse(
                            p,
                            supplier_column,
                            _("An earlier row of this order names another supplier."),
                        )
                        continue
                    p.extra["order"] = known[0]
                else:
                    try:
                        supplier = Organization(pk=v["supplier_id"])
                        purchase_services.check_supplier_may_receive_orders(supplier)
                    except ValidationError as exc:
                        self.refuse(p, supplier_column, " ".join(_messages(exc).values()))
                        continue
                    temp = self.temp_id()
                    self.new_orders[v["number"]] = (temp, v["supplier_id"])
                    self.headers[temp] = {
                        "number": v["number"],
                        "supplier_id": v["supplier_id"],
                        "business_unit_id": v["business_unit_id"],
                        "ordered_on": v["ordered_on"],
                        "currency": v["currency"],
                        "status": v["status"],
                        "note": v["note"],
                        "external_id": v["external_id"],
                    }
                    p.extra["order"] = temp
                    p.extra["creates_order"] = True
            self.seen_lines.add(key)
            if p.action == RowAction.CREATE:
                p.target = self.temp_id()
        return planned

    def extra_counts(self, planned: list[Planned]) -> dict[str, int]:
        return {"orders": sum(1 for p in planned if p.extra.get("creates_order"))}

    def _order(self, order_ref: int) -> PurchaseOrder:
        pk = self.resolve(order_ref)
        if pk is not None and pk > 0:
            return PurchaseOrder.objects.get(pk=pk)
        header = dict(self.headers[order_ref])
        header["supplier"] = Organization.objects.get(pk=header.pop("supplier_id"))
        unit_id = header.pop("business_unit_id")
        header["business_unit"] = Organization.objects.get(pk=unit_id) if unit_id else None
        order = purchase_services.purchase_order_create(actor=self.actor, data=header)
        self.resolved[order_ref] = order.pk
        return order

    def apply(self, planned: list[Planned]) -> dict[str, int]:
        for p in planned:
            if p.action not in (RowAction.CREATE, RowAction.UPDATE):
                continue
            v = p.data.values
            line_data = {
                "line_no": v["line_no"],
                "description": v["description"],
                "category": SupplyCategory(pk=v["category_id"]) if v.get("category_id") else None,
                "quantity": v["quantity"],
                "unit": v["unit"],
                "unit_price": v["unit_price"],
                "delivery_date": v["delivery_date"],
            }
            if p.action == RowAction.UPDATE and p.payload is not None:
                purchase_services.purchase_order_line_update(
                    actor=self.actor, instance=p.payload, data=line_data
                )
            else:
                order = self._order(p.extra["order"])
                line = purchase_services.purchase_order_line_create(
                    actor=self.actor, order=order, data=line_data
                )
                if p.target:
                    self.resolved[p.target] = line.pk
        return {}


class DeliveryHandler(Handler):
    kind = ImportKind.DELIVERIES

    def prepare(self) -> None:
        # (order id, date, delivery note) → temporary id of deliveries this file creates
        self.new_deliveries: dict[tuple, int] = {}
        self.seen: set[tuple] = set()

    def parse(self, data: RowData) -> None:
        raw = data.raw
        for key in ("order_number", "line_no", "delivered_on", "quantity_received"):
            if not raw.get(key, "").strip():
                self.fail(data, key, _("This field cannot be blank."))
        values: dict[str, Any] = {
            "number": raw.get("order_number", "").strip(),
            "line_no": self.convert(data, "line_no", lambda t: parse_int(t, minimum=1)),
            "delivered_on": self.convert(data, "delivered_on", parse_date),
            "quantity_received": self.convert(data, "quantity_received", parse_decimal),
            "quantity_rejected": self.convert(
                data, "quantity_rejected", parse_decimal, Decimal("0")
            ),
            "unit_price_charged": self.convert(data, "unit_price_charged", parse_decimal),
            "delivery_note_number": raw.get("delivery_note_number", "").strip()[:100],
            "note": raw.get("note", ""),
        }
        received, rejected = values["quantity_received"], values["quantity_rejected"]
        if received is not None and received < 0:
            self.fail(data, "quantity_received", _("Enter the quantity received (0 or more)."))
        if rejected is not None and rejected < 0:
            self.fail(data, "quantity_rejected", _("Enter the quantity rejected (0 or more)."))
        elif received is not None and rejected is not None and rejected > received:
            self.fail(
                data,
                "quantity_rejected",
                _("No more can be rejected than was received (%(received)s).")
                % {"received": received},
            )
        price = values["unit_price_charged"]
        if price is not None and price < 0:
            self.fail(data, "unit_price_charged", _("Enter the unit price charged (0 or more)."))
        data.values = values
        data.label = f"{values['number']}/{raw.get('line_no', '')} {raw.get('delivered_on', '')}"

    def plan(self, batch: list[RowData]) -> list[Planned]:
        ok = [d for d in batch if not d.errors]
        orders = {
            o.number: o
            for o in PurchaseOrder.objects.visible_to(self.actor)
            .filter(number__in={d.values["number"] for d in ok})
            .prefetch_related("lines")
        }
        deliveries: dict[tuple, Delivery] = {}
        if orders:
            for d in Delivery.objects.filter(
                order_id__in=[o.pk for o in orders.values()]
            ).prefetch_related("lines"):
                deliveries.setdefault((d.order_id, d.delivered_on, d.delivery_note_number), d)
        planned = []
        for data in batch:
            p = Planned(data=data)
            planned.append(p)
            if data.errors:
                p.action = RowAction.ERROR
                continue
            v = data.values
            order = orders.get(v["number"])
            if order is None:
                self.refuse(p, "order_number", _("No purchase order you may see has this number."))
                continue
            if not visibility.can_change(self.actor, order):
                self.refuse(p, "order_number", _("You may not change this purchase order."))
                continue
            if order.status not in purchase_services.FOLLOWS_DELIVERIES:
                self.refuse(
                    p,
                    "order_number",
                    _("Deliveries can be recorded only for ordered purchases, not for: %(s)s.")
                    % {"s": order.get_status_display()},
                )
                continue
            line = next((li for li in order.lines.all() if li.line_no == v["line_no"]), None)
            if line is None:
                self.refuse(p, "line_no", _("The order has no line with this number."))
                continue
            key = (order.pk, v["delivered_on"], v["delivery_note_number"])
            if key + (line.pk,) in self.seen:
                self.refuse(p, "line_no", _("This line appears twice for the same delivery."))
                continue
            self.seen.add(key + (line.pk,))
            p.extra.update({"order": order, "line": line, "key": key})
            existing = deliveries.get(key)
            if existing is not None:
                p.extra["delivery"] = existing.pk
                if any(dl.order_line_id == line.pk for dl in existing.lines.all()):
                    p.action = self.matched_action()
                    if p.action == RowAction.CREATE:
                        p.action = RowAction.UPDATE
                    p.reason = _("same order, line, date and delivery note")
            else:
                p.extra["delivery"] = self.new_deliveries.setdefault(key, self.temp_id())
        return planned

    def apply(self, planned: list[Planned]) -> dict[str, int]:
        groups: dict[int, list[Planned]] = {}
        for p in planned:
            if p.action in (RowAction.CREATE, RowAction.UPDATE):
                groups.setdefault(p.extra["delivery"], []).append(p)
        for ref, rows in groups.items():
            first = rows[0].data.values
            new_lines = {
                p.extra["line"].pk: {
                    "order_line": p.extra["line"],
                    "quantity_received": p.data.values["quantity_received"],
                    "quantity_rejected": p.data.values["quantity_rejected"] or Decimal("0"),
                    "unit_price_charged": p.data.values["unit_price_charged"],
                }
                for p in rows
            }
            pk = self.resolve(ref)
            if pk is not None and pk > 0:
                delivery = Delivery.objects.get(pk=pk)
                lines = {
                    dl.order_line_id: {
                        "order_line": dl.order_line,
                        "quantity_received": dl.quantity_received,
                        "quantity_rejected": dl.quantity_rejected,
                        "unit_price_charged": dl.unit_price_charged,
                    }
                    for dl in delivery.lines.select_related("order_line")
                }
                lines.update(new_lines)
                purchase_services.delivery_update(
                    actor=self.actor, instance=delivery, data={}, lines=list(lines.values())
                )
            else:
                delivery = purchase_services.delivery_create(
                    actor=self.actor,
                    order=rows[0].extra["order"],
                    data={
                        "delivered_on": first["delivered_on"],
                        "delivery_note_number": first["delivery_note_number"],
                        "note": first["note"],
                    },
                    lines=list(new_lines.values()),
                )
                self.resolved[ref] = delivery.pk
        return {}

    def extra_counts(self, planned: list[Planned]) -> dict[str, int]:
        return {}


__all__ = ["DeliveryHandler", "PurchaseOrderHandler"]
