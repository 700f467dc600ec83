"""Orders and their lines, and the order's status.

Status moves only along `choices.ORDER_TRANSITIONS` (confirmed → delivered → invoiced → paid;
cancelled from confirmed or delivered); "invoiced" and "paid" are also set by the invoice and
payment services when the order is fully invoiced, and paid. A line's quantity must be above
zero: the error names the line and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization

from ..choices import ORDER_TRANSITIONS, OrderStatus
from ..models import Order, OrderLine
from .common import (
    check_one_line,
    check_reverse_charge,
    create_numbered,
    pk_of,
    prepare_lines,
    require_visible,
)

ORDER_PREFIX = "AU"


def _links(actor: Any, data: dict[str, Any]) -> None:
    if "organization" in data:
        data["organization"] = require_visible(
            actor,
            Organization,
            data["organization"],
            "organization",
            _("Choose an organization you can see."),
        )
    for field, label in (("quote", _("quote")), ("opportunity", _("opportunity"))):
        if data.get(field) in (None, ""):
            if field in data:
                data[field] = None
            continue
        if field == "quote":
            from ..models import Quote as model
        else:
            from accord.pipeline.models import Opportunity as model  # type: ignore[assignment]
        data[field] = require_visible(
            actor, model, data[field], field, _("Choose a %(what)s you can see.") % {"what": label}
        )


def order_create(*, actor: Any, data: Mapping[str, Any]) -> Order:
    """A new, confirmed order with `lines` (list of line dicts; more can be added later)."""
    core.require_write(actor)
    data = dict(data)
    data.pop("number", None)
    data.pop("status", None)
    lines = data.pop("lines", None) or []
    if "recurring" not in data:
        data.pop("recurring_period", None)
    _links(actor, data)
    if data.get("organization") is None:
        raise ValidationError({"organization": _("Choose an organization.")})
    prepared = prepare_lines(lines)
    check_reverse_charge(data["organization"], prepared, field="lines")
    ordered_on = data.get("ordered_on") or timezone.localdate()
    data["ordered_on"] = ordered_on

    def create(number: str) -> Order:
        order = core.model_create(Order, actor=actor, data={**data, "number": number})
        OrderLine.objects.bulk_create([OrderLine(order=order, **line) for line in prepared])
        return order

    with transaction.atomic():
        return create_numbered(create, Order, ORDER_PREFIX, ordered_on, 5)


def _check_transition(order: Order, status: str) -> None:
    if status == order.status:
        return
    if status not in ORDER_TRANSITIONS.get(order.status, ()):
        raise ValidationError(
            {
                "status": _("An order cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": order.get_status_display(),
                    "new": dict(OrderStatus.choices).get(status, status),
                }
            }
        )
    if status == OrderStatus.CANCELLED and order.invoices.exclude(status="cancelled").exists():
        raise ValidationError(
            {"status": _("Cancel the order's invoices first; then the order can be cancelled.")}
        )
    if status == OrderStatus.PAID:
        from .invoices import order_fully_paid

        if not order_fully_paid(order):
            raise ValidationError(
                {"status": _("The order is paid when all of it is invoiced and paid.")}
            )


def order_update(*, actor: Any, instance: Order, data: Mapping[str, Any]) -> Order:
    """Change an order; `lines` replaces all lines (refused once it is invoiced)."""
    core.require_change(actor, instance)
    data = dict(data)
    data.pop("number", None)
    lines = data.pop("lines", None)
    status = data.get("status")
    if status not in (None, ""):
        _check_transition(instance, status)
    _links(actor, data)
    organization = data.get("organization", instance.organization)
    if organization != instance.organization and instance.invoices.exists():
        raise ValidationError(
            {"organization": _("The order was invoiced; its organization stays.")}
        )
    with transaction.atomic():
        if lines is not None:
            _lines_editable(instance)
            prepared = prepare_lines(lines)
            check_reverse_charge(organization, prepared, field="lines")
            instance.lines.all().delete()
            OrderLine.objects.bulk_create([OrderLine(order=instance, **ln) for ln in prepared])
        return core.model_update(instance, actor=actor, data=data)


def order_set_status(*, actor: Any, order: Order, status: str) -> Order:
    return order_update(actor=actor, instance=order, data={"status": status})


def order_delete(*, actor: Any, instance: Order) -> None:
    if instance.invoices.exists():
        raise ValidationError(
            {"order": _("The order has invoices; cancel it instead of deleting it.")}
        )
    core.model_delete(instance, actor=actor)


def _lines_editable(order: Order) -> None:
    if order.invoices.exclude(status="cancelled").exists() or order.status in (
        OrderStatus.PAID,
        OrderStatus.CANCELLED,
        OrderStatus.INVOICED,
    ):
        raise ValidationError(
            {"order": _("The order was invoiced or closed; its lines are kept as they are.")}
        )


def order_line_add(*, actor: Any, order: Order, data: Mapping[str, Any]) -> OrderLine:
    core.require_change(actor, order)
    _lines_editable(order)
    line = check_one_line(data)
    check_reverse_charge(order.organization, [line])
    if data.get("delivery_date"):
        line["delivery_date"] = data["delivery_date"]
    last = order.lines.order_by("-position").values_list("position", flat=True).first() or 0
    with transaction.atomic():
        created = core.model_create(
            OrderLine, actor=actor, data={**line, "order": order, "position": last + 1}
        )
        core.model_update(order, actor=actor, data={})
    return created


def order_line_create(*, actor: Any, data: Mapping[str, Any]) -> OrderLine:
    order = data.get("order")
    if order is None:
        raise ValidationError({"order": _("Choose an order.")})
    return order_line_add(actor=actor, order=order, data=data)


def order_line_update(*, actor: Any, instance: OrderLine, data: Mapping[str, Any]) -> OrderLine:
    core.require_change(actor, instance.order)
    if "order" in data and pk_of(data["order"]) != instance.order_id:
        raise ValidationError({"order": _("A line cannot move to another order.")})
    only_delivery = set(data) <= {"delivery_date", "order"}
    if not only_delivery:
        _lines_editable(instance.order)
    merged = {
        k: data.get(k, getattr(instance, k))
        for k in ("product", "description", "quantity", "unit_price", "discount", "vat_rate")
    }
    line = check_one_line(merged)
    check_reverse_charge(instance.order.organization, [line])
    if "delivery_date" in data:
        line["delivery_date"] = data["delivery_date"]
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=line)


def order_line_remove(*, actor: Any, instance: OrderLine) -> None:
    core.require_change(actor, instance.order)
    _lines_editable(instance.order)
    core.model_delete(instance, actor=actor)
