"""Product lines of an opportunity: the unit price defaults to the product's list price, and the
opportunity's amount follows its lines."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core

from ..models import Opportunity, OpportunityLine
from .opportunities import opportunity_update


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


def _validate_line(values: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    quantity = _decimal(values.get("quantity"))
    if quantity is None or quantity.is_nan() or quantity <= 0:
        errors["quantity"] = _("The quantity must be above zero.")
    unit_price = _decimal(values.get("unit_price"))
    if unit_price is not None and (unit_price.is_nan() or unit_price < 0):
        errors["unit_price"] = _("The unit price cannot be below zero.")
    discount = _decimal(values.get("discount"))
    if discount is not None and (discount.is_nan() or not 0 <= discount <= 100):
        errors["discount"] = _("The discount must be between 0 and 100 per cent.")
    if errors:
        raise ValidationError(errors)


def _follow_lines(actor: Any, opportunity: Opportunity) -> None:
    opportunity.refresh_from_db()
    opportunity_update(actor=actor, instance=opportunity, data={})


def opportunity_line_add(
    *, actor: Any, opportunity: Opportunity, data: Mapping[str, Any]
) -> OpportunityLine:
    core.require_change(actor, opportunity)
    data = dict(data)
    data.pop("opportunity", None)
    data.setdefault("quantity", Decimal("1"))
    product = data.get("product")
    if product is None:
        raise ValidationError({"product": _("Choose a product.")})
    if data.get("unit_price") in (None, ""):
        data["unit_price"] = product.list_price
    if data.get("discount") in (None, ""):
        data["discount"] = Decimal("0")
    _validate_line(data)
    with transaction.atomic():
        line = core.model_create(
            OpportunityLine, actor=actor, data={**data, "opportunity": opportunity}
        )
        _follow_lines(actor, opportunity)
    return line


def opportunity_line_create(*, actor: Any, data: Mapping[str, Any]) -> OpportunityLine:
    """The API's create: the opportunity comes in the data."""
    opportunity = data.get("opportunity")
    if opportunity is None:
        raise ValidationError({"opportunity": _("Choose an opportunity.")})
    return opportunity_line_add(actor=actor, opportunity=opportunity, data=data)


def opportunity_line_update(
    *, actor: Any, instance: OpportunityLine, data: Mapping[str, Any]
) -> OpportunityLine:
    data = dict(data)
    if "opportunity" in data and data["opportunity"] != instance.opportunity:
        raise ValidationError({"opportunity": _("A line cannot move to another opportunity.")})
    data.pop("opportunity", None)
    if "product" in data and data.get("unit_price") in (None, ""):
        data["unit_price"] = data["product"].list_price
    merged = {
        "quantity": data.get("quantity", instance.quantity),
        "unit_price": data.get("unit_price", instance.unit_price),
        "discount": data.get("discount", instance.discount),
    }
    _validate_line(merged)
    with transaction.atomic():
        line = core.model_update(instance, actor=actor, data=data)
        _follow_lines(actor, line.opportunity)
    return line


def opportunity_line_remove(*, actor: Any, instance: OpportunityLine) -> None:
    opportunity = instance.opportunity
    with transaction.atomic():
        core.model_delete(instance, actor=actor)
        _follow_lines(actor, opportunity)
