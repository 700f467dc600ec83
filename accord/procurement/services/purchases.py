"""Purchase orders, their lines and the deliveries received against them.

Rules (each refused with a message naming the field):

* the supplier is an organization with the supplier or service-provider role that the actor may
  see; a new order to a supplier whose qualification is `blocked` is refused; the business unit,
  when given, is an organization with the internal role;
* order numbers are unique; a line's quantity is more than 0 and its agreed price not negative;
* a delivery belongs to an order that is ordered (not a draft, not cancelled); each delivery line
  names a line of that order, receives 0 or more and rejects no more than it received;
* more than was ordered (the accepted quantity over all deliveries of a line) is kept and
  flagged (`DeliveryLine.is_over_delivery` with a message), never refused;
* once ordered, the order's status follows its deliveries: nothing accepted → ordered, every line
  fully accepted → delivered, else partly delivered. Drafts and cancelled orders keep their status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.parties.models import Organization

from ..models import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    QualificationStatus,
    SupplierProfile,
)
from .suppliers import is_supplier

ZERO = Decimal("0")
LINE_FIELDS = (
    "line_no",
    "description",
    "category",
    "quantity",
    "unit",
    "unit_price",
    "delivery_date",
)
FOLLOWS_DELIVERIES = (
    PurchaseOrderStatus.ORDERED,
    PurchaseOrderStatus.PARTLY_DELIVERED,
    PurchaseOrderStatus.DELIVERED,
)


def _decimal(value: Any, *, field: str, message: str) -> Decimal:
    if value in (None, ""):
        raise ValidationError({field: message})
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: message}) from None
    if not number.is_finite():
        raise ValidationError({field: message})
    return number


# --- suppliers may receive orders ----------------------------------------------------------------


def check_supplier_may_receive_orders(supplier: Organization) -> None:
    """Refuse a new order to a supplier blocked by its qualification (message names `supplier`)."""
    status = (
        SupplierProfile.objects.filter(organization=supplier)
        .values_list("qualification_status", flat=True)
        .first()
    )
    if status == QualificationStatus.BLOCKED:
        raise ValidationError(
            {
                "supplier": _(
                    "“%(org)s” is blocked by its qualification: no new orders may be placed."
                )
                % {"org": supplier}
            }
        )


def _check_parties(actor: Any, data: Mapping[str, Any], instance: PurchaseOrder | None) -> None:
    errors: dict[str, str] = {}
    supplier = data.get("supplier", instance.supplier if instance else None)
    supplier_changed = "supplier" in data and (
        instance is None or getattr(supplier, "pk", None) != instance.supplier_id
    )
    if supplier is None:
        errors["supplier"] = _("Choose the supplier.")
    elif supplier_changed:
        if not is_supplier(supplier):
            errors["supplier"] = _(
                "“%(org)s” is no supplier or service provider: give it one of these roles first."
            ) % {"org": supplier}
        elif actor is not None and not visibility.can_view(actor, supplier):
            errors["supplier"] = _("You may choose only organizations you can see.")
    unit = data.get("business_unit")
    if "business_unit" in data and unit is not None:
        changed = instance is None or unit.pk != instance.business_unit_id
        if changed and not unit.is_internal:
            errors["business_unit"] = _(
                "“%(org)s” is no internal business unit: give it that role first."
            ) % {"org": unit}
        elif changed and actor is not None and not visibility.can_view(actor, unit):
            errors["business_unit"] = _("You may choose only organizations you can see.")
    if errors:
        raise ValidationError(errors)
    if supplier_changed:
        check_supplier_may_receive_orders(supplier)


def _order_data(data: Mapping[str, Any], *, creating: bool = False) -> dict[str, Any]:
    data = dict(data)
    data.pop("lines", None)
    for key in ("note", "external_id"):
        if key in data and data[key] is None:
            data[key] = ""
    if "number" in data:
        data["number"] = str(data["number"] or "").strip()
        if not data["number"] and creating:
            data.pop("number")  # the next free number
        elif not data["number"]:
            raise ValidationError({"number": _("Enter the order number.")})
    if "currency" in data:
        data["currency"] = str(data["currency"] or "EUR").strip().upper()
    if data.get("ordered_on") is None:
        data.pop("ordered_on", None)
    return data


def purchase_order_create(*, actor: Any, data: Mapping[str, Any]) -> PurchaseOrder:
    """A new order, with its lines when `data["lines"]` holds them (dicts of line fields)."""
    core.require_write(actor)
    lines = list(data.get("lines") or [])
    prepared = _order_data(data, creating=True)
    if not prepared.get("number"):
        prepared["number"] = next_order_number()
    with transaction.atomic():
        _check_parties(actor, prepared, None)
        # The supplier's standing from its scorecard is checked here (scorecards area).
        from .scorecards import check_supplier_standing

        check_supplier_standing(prepared.get("supplier"))
        order = core.model_create(PurchaseOrder, actor=actor, data=prepared)
        for index, line in enumerate(lines):
            try:
                purchase_order_line_create(actor=actor, order=order, data=line)
            except ValidationError as exc:
                raise _nested_error(exc, "lines", index) from exc
        return order


def _nested_error(exc: ValidationError, name: str, index: int) -> ValidationError:
    if hasattr(exc, "error_dict"):
        text = "; ".join(
            f"{field}: {' '.join(m for e in errs for m in e.messages)}"
            for field, errs in exc.error_dict.items()
        )
    else:
        text = " ".join(exc.messages)
    return ValidationError({name: _("Line %(n)d: %(errors)s") % {"n": index + 1, "errors": text}})


def purchase_order_update(
    *, actor: Any, instance: PurchaseOrder, data: Mapping[str, Any]
) -> PurchaseOrder:
    core.require_change(actor, instance)
    prepared = _order_data(data)
    with transaction.atomic():
        _check_parties(actor, prepared, instance)
        order = core.model_update(instance, actor=actor, data=prepared)
        if "status" in prepared and order.deliveries.exists():
            # with deliveries recorded, the status follows them; without, it is the user's
            refresh_order_status(order, actor=actor)
        return order


def purchase_order_delete(*, actor: Any, instance: PurchaseOrder) -> None:
    core.model_delete(instance, actor=actor)


def next_order_number() -> str:
    """ "PO-000123": one more than the highest number of that form."""
    numbers = PurchaseOrder.objects.filter(number__regex=r"^PO-[0-9]+$").values_list(
        "number", flat=True
    )
    highest = max((int(n[3:]) for n in numbers), default=0)
    return f"PO-{highest + 1:06d}"


# --- lines ---------------------------------------------------------------------------------------


def _line_data(data: Mapping[str, Any], line: PurchaseOrderLine | None) -> dict[str, Any]:
    data = {k: v for k, v in dict(data).items() if k in LINE_FIELDS}
    errors: dict[str, str] = {}
    if "description" in data or line is None:
        data["description"] = str(data.get("description") or "").strip()
        if not data["description"]:
            errors["description"] = _("Describe what is ordered.")
    if "quantity" in data or line is None:
        try:
            data["quantity"] = _decimal(
                data.get("quantity"), field="quantity", message=_("Enter a quantity above 0.")
            )
            if data["quantity"] <= 0:
                errors["quantity"] = _("Enter a quantity above 0.")
        except ValidationError:
            errors["quantity"] = _("Enter a quantity above 0.")
    if "unit_price" in data or line is None:
        try:
            data["unit_price"] = _decimal(
                data.get("unit_price"),
                field="unit_price",
                message=_("Enter the agreed unit price (0 or more)."),
            )
            if data["unit_price"] < 0:
                errors["unit_price"] = _("Enter the agreed unit price (0 or more).")
        except ValidationError:
            errors["unit_price"] = _("Enter the agreed unit price (0 or more).")
    if "unit" in data and data["unit"] is None:
        data["unit"] = ""
    if errors:
        raise ValidationError(errors)
    return data


def purchase_order_line_create(
    *, actor: Any, order: PurchaseOrder, data: Mapping[str, Any]
) -> PurchaseOrderLine:
    core.require_write(actor)
    core.require_change(actor, order)
    prepared = _line_data(data, None)
    with transaction.atomic():
        if not prepared.get("line_no"):
            highest = order.lines.aggregate(n=Max("line_no"))["n"] or 0
            prepared["line_no"] = highest + 1
        elif order.lines.filter(line_no=prepared["line_no"]).exists():
            raise ValidationError(
                {"line_no": _("The order has a line %(n)s already.") % {"n": prepared["line_no"]}}
            )
        line = core.model_create(PurchaseOrderLine, actor=actor, data={"order": order, **prepared})
        refresh_order_status(order, actor=actor)
        return line


def purchase_order_line_update(
    *, actor: Any, instance: PurchaseOrderLine, data: Mapping[str, Any]
) -> PurchaseOrderLine:
    prepared = _line_data(data, instance)
    with transaction.atomic():
        new_no = prepared.get("line_no")
        if (
            new_no
            and new_no != instance.line_no
            and PurchaseOrderLine.objects.filter(
                order_id=instance.order_id, line_no=new_no
            ).exists()
        ):
            raise ValidationError(
                {"line_no": _("The order has a line %(n)s already.") % {"n": new_no}}
            )
        if not new_no:
            prepared.pop("line_no", None)
        line = core.model_update(instance, actor=actor, data=prepared)
        refresh_over_deliveries([line.pk])
        refresh_order_status(line.order, actor=actor)
        return line


def purchase_order_line_delete(*, actor: Any, instance: PurchaseOrderLine) -> None:
    order = instance.order
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        refresh_order_status(order, actor=actor)


# --- deliveries ----------------------------------------------------------------------------------


def _delivery_lines(
    order: PurchaseOrder, lines: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Check the delivery lines; the errors name `lines` and the order's line number."""
    own = {line.pk: line for line in order.lines.all()}
    result: list[dict[str, Any]] = []
    seen: set[int] = set()
    for item in lines:
        ref = item.get("order_line")
        pk = getattr(ref, "pk", ref)
        line = own.get(pk) if pk is not None else None
        if line is None:
            raise ValidationError(
                {"lines": _("Each delivery line must name a line of this order.")}
            )
        if line.pk in seen:
            raise ValidationError({"lines": _("Line %(n)s is named twice.") % {"n": line.line_no}})
        seen.add(line.pk)
        label = _("Line %(n)s") % {"n": line.line_no}
        received = _decimal(
            item.get("quantity_received", ZERO) if item.get("quantity_received") != "" else ZERO,
            field="quantity_received",
            message=_("%(line)s: enter the quantity received (0 or more).") % {"line": label},
        )
        rejected = _decimal(
            item.get("quantity_rejected") or ZERO,
            field="quantity_rejected",
            message=_("%(line)s: enter the quantity rejected (0 or more).") % {"line": label},
        )
        if received < 0:
            raise ValidationError(
                {
                    "quantity_received": _("%(line)s: enter the quantity received (0 or more).")
                    % {"line": label}
                }
            )
        if rejected < 0 or rejected > received:
            raise ValidationError(
                {
                    "quantity_rejected": _(
                        "%(line)s: no more can be rejected than was received (%(received)s)."
                    )
                    % {"line": label, "received": received}
                }
            )
        price = item.get("unit_price_charged")
        if price not in (None, ""):
            price = _decimal(
                price,
                field="unit_price_charged",
                message=_("%(line)s: enter the unit price charged (0 or more).") % {"line": label},
            )
            if price < 0:
                raise ValidationError(
                    {
                        "unit_price_charged": _(
                            "%(line)s: enter the unit price charged (0 or more)."
                        )
                        % {"line": label}
                    }
                )
        else:
            price = None
        result.append(
            {
                "order_line": line,
                "quantity_received": received,
                "quantity_rejected": rejected,
                "unit_price_charged": price,
            }
        )
    return result


def _check_order_receives(order: PurchaseOrder) -> None:
    if order.status not in FOLLOWS_DELIVERIES:
        raise ValidationError(
            {
                "order": _("Deliveries can be recorded only for ordered purchases, not for: %(s)s.")
                % {"s": order.get_status_display()}
            }
        )


def _delivery_data(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {
        k: v for k, v in dict(data).items() if k in ("delivered_on", "delivery_note_number", "note")
    }
    for key in ("delivery_note_number", "note"):
        if key in values and values[key] is None:
            values[key] = ""
    return values


def delivery_create(
    *,
    actor: Any,
    order: PurchaseOrder,
    data: Mapping[str, Any],
    lines: Iterable[Mapping[str, Any]] = (),
) -> Delivery:
    """Record a delivery with its lines (quantities received, rejected, price charged)."""
    core.require_write(actor)
    core.require_change(actor, order)
    if not data.get("delivered_on"):
        raise ValidationError({"delivered_on": _("Enter the delivery date.")})
    with transaction.atomic():
        _check_order_receives(order)
        checked = _delivery_lines(order, lines)
        if not checked:
            raise ValidationError({"lines": _("Record at least one line of the delivery.")})
        delivery = core.model_create(
            Delivery, actor=actor, data={"order": order, **_delivery_data(data)}
        )
        for item in checked:
            core.model_create(DeliveryLine, actor=actor, data={"delivery": delivery, **item})
        refresh_over_deliveries([i["order_line"].pk for i in checked])
        refresh_order_status(order, actor=actor)
        return delivery


def delivery_update(
    *,
    actor: Any,
    instance: Delivery,
    data: Mapping[str, Any],
    lines: Iterable[Mapping[str, Any]] | None = None,
) -> Delivery:
    """Change a delivery; `lines` given: they replace the delivery's lines (matched by order
    line, so a line's history is kept)."""
    core.require_change(actor, instance)
    with transaction.atomic():
        values = _delivery_data(data)
        if "delivered_on" in values and not values["delivered_on"]:
            raise ValidationError({"delivered_on": _("Enter the delivery date.")})
        delivery = core.model_update(instance, actor=actor, data=values)
        touched: set[int] = set()
        if lines is not None:
            checked = _delivery_lines(instance.order, lines)
            if not checked:
                raise ValidationError({"lines": _("Record at least one line of the delivery.")})
            existing = {dl.order_line_id: dl for dl in delivery.lines.all()}
            for item in checked:
                pk = item["order_line"].pk
                touched.add(pk)
                if pk in existing:
                    core.model_update(existing.pop(pk), actor=actor, data=item)
                else:
                    core.model_create(
                        DeliveryLine, actor=actor, data={"delivery": delivery, **item}
                    )
            for stale in existing.values():
                touched.add(stale.order_line_id)
                core.model_delete(stale, actor=actor)
        else:
            touched = set(delivery.lines.values_list("order_line_id", flat=True))
        refresh_over_deliveries(touched)
        refresh_order_status(delivery.order, actor=actor)
        return delivery


def delivery_delete(*, actor: Any, instance: Delivery) -> None:
    order = instance.order
    lines = list(instance.lines.values_list("order_line_id", flat=True))
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        refresh_over_deliveries(lines)
        refresh_order_status(order, actor=actor, force=True)


# --- derived facts ---------------------------------------------------------------------------------


def refresh_over_deliveries(order_line_ids: Iterable[int]) -> int:
    """Flag the delivery lines with which the accepted quantity of their order line went beyond
    what was ordered (in delivery order); unflag the others. Returns how many are flagged."""
    flagged = 0
    ids = list(set(order_line_ids))
    if not ids:
        return 0
    lines = {line.pk: line for line in PurchaseOrderLine.objects.filter(pk__in=ids)}
    rows = (
        DeliveryLine.objects.filter(order_line_id__in=ids)
        .select_related("delivery")
        .order_by("order_line_id", "delivery__delivered_on", "delivery_id")
    )
    cumulative: dict[int, Decimal] = {}
    changed: list[DeliveryLine] = []
    for dl in rows:
        line = lines[dl.order_line_id]
        total = cumulative.get(line.pk, ZERO) + dl.quantity_accepted
        cumulative[line.pk] = total
        over = total > line.quantity
        note = ""
        if over:
            flagged += 1
            note = _("Over-delivery: %(total)s %(unit)s accepted in all, %(ordered)s ordered.") % {
                "total": _plain(total),
                "unit": line.unit,
                "ordered": _plain(line.quantity),
            }
        if dl.is_over_delivery != over or dl.over_delivery_note != note:
            dl.is_over_delivery, dl.over_delivery_note = over, note
            changed.append(dl)
    if changed:
        DeliveryLine.objects.bulk_update(changed, ["is_over_delivery", "over_delivery_note"])
    return flagged


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def order_status_from_deliveries(order: PurchaseOrder) -> str:
    """What the status of an ordered purchase is by its deliveries."""
    ordered = dict(order.lines.values_list("pk", "quantity"))
    if not ordered:
        return PurchaseOrderStatus.ORDERED
    accepted: dict[int, Decimal] = {}
    for pk, received, rejected in DeliveryLine.objects.filter(order_line__order=order).values_list(
        "order_line_id", "quantity_received", "quantity_rejected"
    ):
        accepted[pk] = accepted.get(pk, ZERO) + received - rejected
    if not any(v > 0 for v in accepted.values()):
        return PurchaseOrderStatus.ORDERED
    if all(accepted.get(pk, ZERO) >= qty for pk, qty in ordered.items()):
        return PurchaseOrderStatus.DELIVERED
    return PurchaseOrderStatus.PARTLY_DELIVERED


def refresh_order_status(
    order: PurchaseOrder, *, actor: Any = None, force: bool = False
) -> PurchaseOrder:
    """Set an ordered purchase's status from its deliveries (drafts and cancelled ones stay; an
    order without any delivery recorded keeps the status a user gave it unless `force`)."""
    order.refresh_from_db(fields=["status"])
    if order.status not in FOLLOWS_DELIVERIES:
        return order
    if not force and not order.deliveries.exists():
        return order
    status = order_status_from_deliveries(order)
    if status != order.status:
        # the caller checked that the actor may change the order; the history names them
        core.model_update(order, actor=actor, data={"status": status})
    return order


def order_total(order: PurchaseOrder) -> Decimal:
    total = ZERO
    for qty, price in order.lines.values_list("quantity", "unit_price"):
        total += qty * price
    return total
