"""What a client does with the commercial side in the portal: accept a quote, reorder, order
from their catalogue. Each goes through the commerce services as a system write (the client is
not a staff user), belongs to the organization's owner and team, and tells them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.commerce.choices import QuoteStatus
from accord.commerce.models import Order, Quote
from accord.commerce.services.orders import order_create
from accord.commerce.services.quotes import quote_accept

from .models import CatalogueItem, PortalAccount
from .services import notify_team

MAX_QUANTITY = Decimal("100000")


def _require(account: PortalAccount, permission: str) -> None:
    if not getattr(account, permission):
        raise ValidationError(_("Your portal account may not do this; ask your contact person."))


def _tell(account: PortalAccount, order: Order, what: str) -> None:
    notify_team(
        account.organization,
        key=f"portal:order:{order.pk}",
        title=_("%(org)s ordered in the portal: %(number)s")
        % {"org": account.organization.name, "number": order.number},
        body=_("%(person)s %(what)s.") % {"person": account.person, "what": what},
        url=order.get_absolute_url(),
    )


def accept_quote(*, account: PortalAccount, quote: Quote, reference: str = "") -> Order:
    _require(account, "can_order")
    if quote.organization_id != account.organization_id or quote.status == QuoteStatus.DRAFT:
        raise ValidationError(_("This quote is not yours to accept."))
    with transaction.atomic():
        order = quote_accept(actor=None, quote=quote, data={"customer_reference": reference[:100]})
        _tell(account, order, _("accepted quote %(number)s") % {"number": quote.number})
    return order


def _line(source: Any, quantity: Decimal | None = None) -> dict[str, Any]:
    return {
        "product": source.product,
        "description": source.description,
        "quantity": source.quantity if quantity is None else quantity,
        "unit_price": source.unit_price,
        "discount": source.discount,
        "vat_rate": source.vat_rate,
    }


def _new_order(account: PortalAccount, lines: list[dict[str, Any]], currency: str, reference: str):
    org = account.organization
    return order_create(
        actor=None,
        data={
            "organization": org,
            "currency": currency,
            "language": account.language,
            "customer_reference": reference[:100],
            "owner": org.owner,
            "team": org.team,
            "lines": lines,
        },
    )


def reorder(*, account: PortalAccount, order: Order, reference: str = "") -> Order:
    """The same lines again, at the prices of the earlier order."""
    _require(account, "can_order")
    if order.organization_id != account.organization_id:
        raise ValidationError(_("This order is not yours to repeat."))
    lines = [_line(line) for line in order.lines.select_related("product").order_by("position")]
    if not lines:
        raise ValidationError(_("This order has no lines to order again."))
    with transaction.atomic():
        new = _new_order(account, lines, order.currency, reference)
        _tell(account, new, _("reordered %(number)s") % {"number": order.number})
    return new


def parse_quantities(raw: Mapping[str, str]) -> dict[int, Decimal]:
    """`{"qty-<item id>": "3"}` → `{item id: 3}`; empty and zero are skipped; anything else that
    is not a number from 0 to 100,000 is refused naming the field."""
    wanted: dict[int, Decimal] = {}
    errors: dict[str, str] = {}
    for key, value in raw.items():
        if not key.startswith("qty-") or not key[4:].isdigit():
            continue
        text = (value or "").strip().replace(",", ".")
        if not text:
            continue
        try:
            qty = Decimal(text)
        except InvalidOperation:
            errors[key] = _("Enter a number.")
            continue
        if qty < 0 or qty > MAX_QUANTITY or qty != qty.quantize(Decimal("0.001")):
            errors[key] = _("Enter a quantity from 0 to 100,000.")
            continue
        if qty:
            wanted[int(key[4:])] = qty
    if errors:
        raise ValidationError(errors)
    return wanted


def order_from_catalogue(
    *, account: PortalAccount, quantities: Mapping[int, Decimal], reference: str = ""
) -> Order:
    _require(account, "can_order")
    if not quantities:
        raise ValidationError(_("Enter a quantity for at least one product."))
    items = {
        item.pk: item
        for item in CatalogueItem.objects.select_related("product").filter(
            organization=account.organization, active=True, product__active=True
        )
    }
    unknown = [pk for pk in quantities if pk not in items]
    if unknown:
        raise ValidationError(_("A product you chose is no longer in your catalogue."))
    currencies = {items[pk].product.currency for pk in quantities}
    if len(currencies) > 1:
        raise ValidationError(_("Order products of one currency at a time."))
    lines = [
        {
            "product": items[pk].product,
            "quantity": qty,
            "unit_price": items[pk].price,
        }
        for pk, qty in quantities.items()
    ]
    with transaction.atomic():
        order = _new_order(account, lines, currencies.pop(), reference)
        _tell(account, order, _("ordered from the catalogue"))
    return order
