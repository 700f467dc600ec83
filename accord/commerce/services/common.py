"""What the commerce services share: document numbers, visibility checks of linked records and
the validation of document lines (errors name the line and the field)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from accord.core import visibility

from ..choices import VatRate
from ..models import Product

LINE_FIELDS = ("product", "description", "quantity", "unit_price", "discount", "vat_rate")


def next_number(model: type[models.Model], prefix: str, on: date, width: int) -> str:
    """The next free number of the year, e.g. "A-2026-0042" (prefix A, width 4)."""
    start = f"{prefix}-{on.year}-"
    numbers = model._default_manager.filter(number__startswith=start).values_list(
        "number", flat=True
    )
    highest = 0
    for number in numbers.order_by("-number")[:50]:
        tail = number[len(start) :]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{start}{highest + 1:0{width}d}"


def create_numbered(create: Any, model: type[models.Model], prefix: str, on: date, width: int):
    """Call `create(number)`; a number taken by a concurrent writer a moment ago is retried."""
    for _attempt in range(5):
        number = next_number(model, prefix, on, width)
        try:
            with transaction.atomic():
                return create(number)
        except IntegrityError:
            if not model._default_manager.filter(number=number).exists():
                raise
    raise ValidationError({"number": _("No free number was found; try again.")})


def pk_of(value: Any) -> Any:
    return getattr(value, "pk", value)


def require_visible(actor: Any, model: type[models.Model], value: Any, field: str, message: str):
    """The row behind `value` if the actor may see it; otherwise a ValidationError on `field`."""
    if value in (None, ""):
        return None
    pk = pk_of(value)
    qs = model._default_manager.all()
    if actor is not None:
        qs = qs.filter(visibility.visibility_q(model, actor))
    try:
        found = qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError({field: message})
    return found


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")
    return number if number.is_finite() else Decimal("NaN")


def line_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """The rules of one line: quantity above zero, price not negative, discount 0–100 %,
    a known VAT rate, a product or a description."""
    errors: dict[str, str] = {}
    quantity = _decimal(values.get("quantity"))
    if quantity is None or quantity.is_nan():
        errors["quantity"] = _("Enter a quantity.")
    elif quantity <= 0:
        errors["quantity"] = _("The quantity must be above zero (not %(value)s).") % {
            "value": quantity
        }
    price = _decimal(values.get("unit_price"))
    if price is None or price.is_nan():
        errors["unit_price"] = _("Enter a unit price.")
    elif price < 0:
        errors["unit_price"] = _("The unit price cannot be below zero.")
    discount = _decimal(values.get("discount"))
    if discount is not None and (discount.is_nan() or not 0 <= discount <= 100):
        errors["discount"] = _("The discount must be between 0 and 100 per cent.")
    if str(values.get("vat_rate") or "") not in VatRate.values:
        errors["vat_rate"] = _("Choose a VAT rate: 19 %, 7 %, 0 % or reverse charge.")
    if not values.get("product") and not str(values.get("description") or "").strip():
        errors["description"] = _("Choose a product or enter a description.")
    return errors


def prepare_line(data: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults of a line: the product's name and list price, no discount, 19 % VAT."""
    line = {k: data[k] for k in LINE_FIELDS if k in data}
    product = line.get("product")
    if product not in (None, "") and not isinstance(product, Product):
        product = Product.objects.filter(pk=pk_of(product)).first()
        if product is None:
            raise ValidationError({"product": _("Choose a product from the catalogue.")})
        line["product"] = product
    if product in ("",):
        line["product"] = None
    product = line.get("product")
    if product is not None:
        if not str(line.get("description") or "").strip():
            line["description"] = product.name
        if line.get("unit_price") in (None, ""):
            line["unit_price"] = product.list_price
    line["description"] = str(line.get("description") or "").strip()
    if line.get("discount") in (None, ""):
        line["discount"] = Decimal("0")
    if line.get("vat_rate") in (None, ""):
        line["vat_rate"] = VatRate.STANDARD
    if line.get("quantity") in (None, "") and "quantity" not in data:
        line["quantity"] = Decimal("1")
    return line


def prepare_lines(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every line prepared and checked; one error names each bad line and field, e.g.
    "Line 2 – quantity: The quantity must be above zero (not -3)."."""
    prepared: list[dict[str, Any]] = []
    messages: list[str] = []
    for number, data in enumerate(lines, start=1):
        try:
            line = prepare_line(data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                messages += [
                    _("Line %(n)d – %(field)s: %(msg)s") % {"n": number, "field": field, "msg": m}
                    for m in errors
                ]
            continue
        for field, message in line_errors(line).items():
            messages.append(
                _("Line %(n)d – %(field)s: %(msg)s") % {"n": number, "field": field, "msg": message}
            )
        line["position"] = number
        prepared.append(line)
    if messages:
        raise ValidationError({"lines": messages})
    return prepared


def check_one_line(data: Mapping[str, Any]) -> dict[str, Any]:
    """A single line (the page's line form, the line API): errors name the field."""
    line = prepare_line(data)
    errors = line_errors(line)
    if errors:
        raise ValidationError(errors)
    return line


def check_reverse_charge(organization: Any, lines: Iterable[Any], field: str = "vat_rate") -> None:
    """Reverse charge needs the client's VAT id."""
    rates = [
        str(line.get("vat_rate") if isinstance(line, dict) else line.vat_rate) for line in lines
    ]
    if VatRate.REVERSE_CHARGE in rates and not (organization.vat_id or "").strip():
        raise ValidationError(
            {
                field: _(
                    "Reverse charge needs the client's VAT id: enter it on the organization "
                    "“%(organization)s” first."
                )
                % {"organization": organization}
            }
        )


def copy_lines(source: Iterable[Any], model: type[models.Model], **parent: Any) -> list[Any]:
    """Copy document lines (quote → order, template → order) in one bulk insert."""
    rows = [
        model(
            position=line.position or i,
            product_id=line.product_id,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            vat_rate=line.vat_rate,
            **parent,
        )
        for i, line in enumerate(source, start=1)
    ]
    return model._default_manager.bulk_create(rows)
