"""Line and document totals of quotes, orders and invoices — computed here and nowhere else.

Rules (German invoicing practice):

* a line's net amount is quantity × unit price less the line's discount, rounded to cents
  (half up) — each line on its own, as printed;
* the VAT of a document is computed per rate on the sum of the rounded line amounts of that
  rate, rounded to cents (half up) once per rate — not per line, so the printed breakdown adds up;
* gross = net + VAT; reverse-charge lines carry 0 % and make the document print the legal note.

Plain Python (no Django): the pages, PDFs, API, invoices and the demo call these functions. The
one place the line rule is also written for the database is `selectors.attainment.line_net_cents`
(order totals summed in SQL for revenue targets); a test holds the two to the same cents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

RATES: dict[str, Decimal] = {
    "19": Decimal("19"),
    "7": Decimal("7"),
    "0": Decimal("0"),
    "rc": Decimal("0"),
}
REVERSE_CHARGE = "rc"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(quantity: Decimal, unit_price: Decimal, discount: Decimal = Decimal("0")) -> Decimal:
    """Quantity × unit price less the discount (per cent), rounded to cents."""
    return cents(Decimal(quantity) * Decimal(unit_price) * (HUNDRED - Decimal(discount)) / HUNDRED)


@dataclass(frozen=True)
class RateTotal:
    """The lines of one VAT rate: their net sum, the rate's percentage and its VAT."""

    rate: str
    percent: Decimal
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal
    rates: list[RateTotal] = field(default_factory=list)

    @property
    def reverse_charge(self) -> bool:
        return any(r.rate == REVERSE_CHARGE for r in self.rates)


ZERO_TOTALS = Totals(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), [])


def document_totals(lines: Iterable[Any], share: Decimal = HUNDRED) -> Totals:
    """Totals of lines (objects or dicts with quantity, unit_price, discount, vat_rate).

    `share` (per cent) scales the net sum of each rate before its VAT is computed: a partial
    invoice of 30 % of an order bills 30 % of each rate's net, rounded to cents.
    """
    by_rate: dict[str, Decimal] = {}
    for line in lines:
        values: Any = line if isinstance(line, dict) else vars(line)
        rate = str(values["vat_rate"])
        net = line_net(
            Decimal(values["quantity"]),
            Decimal(values["unit_price"]),
            Decimal(values.get("discount") or 0),
        )
        by_rate[rate] = by_rate.get(rate, Decimal("0")) + net
    rates: list[RateTotal] = []
    for rate in sorted(by_rate, key=lambda r: (-RATES.get(r, Decimal("0")), r)):
        net = by_rate[rate]
        if share != HUNDRED:
            net = cents(net * Decimal(share) / HUNDRED)
        percent = RATES.get(rate, Decimal("0"))
        rates.append(RateTotal(rate, percent, cents(net), cents(net * percent / HUNDRED)))
    net_sum = sum((r.net for r in rates), Decimal("0.00"))
    vat_sum = sum((r.vat for r in rates), Decimal("0.00"))
    return Totals(cents(net_sum), cents(vat_sum), cents(net_sum + vat_sum), rates)
