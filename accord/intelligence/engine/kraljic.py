"""Kraljic's purchasing portfolio: a supplier's place from its spend (high or low against the
other suppliers) and its supply risk (high from 3 of 5). Plain Python, no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from statistics import median

HIGH_RISK_FROM = 3

STRATEGIC = "strategic"
LEVERAGE = "leverage"
BOTTLENECK = "bottleneck"
NON_CRITICAL = "non_critical"


def spend_threshold(spends: Iterable[Decimal | float | int]) -> Decimal:
    """The median spend across suppliers: above it counts as high spend (0 when there is none)."""
    values = [Decimal(str(v)) for v in spends]
    if not values:
        return Decimal("0")
    return Decimal(str(median(values)))


def kraljic_class(*, spend: Decimal | float | int, threshold: Decimal, supply_risk: int) -> str:
    """strategic (high spend, high risk), leverage (high spend, low risk), bottleneck (low spend,
    high risk) or non_critical (low spend, low risk). High spend: more than the threshold."""
    high_spend = Decimal(str(spend)) > threshold and Decimal(str(spend)) > 0
    high_risk = int(supply_risk or 0) >= HIGH_RISK_FROM
    if high_spend and high_risk:
        return STRATEGIC
    if high_spend:
        return LEVERAGE
    if high_risk:
        return BOTTLENECK
    return NON_CRITICAL


def suggest_classes(
    spend_by_supplier: Mapping[int, Decimal], risk_by_supplier: Mapping[int, int]
) -> dict[int, str]:
    """The suggested class of every supplier in `risk_by_supplier`; the threshold is the median of
    their spends (suppliers without spend count as 0)."""
    spends = {k: spend_by_supplier.get(k, Decimal("0")) for k in risk_by_supplier}
    threshold = spend_threshold(spends.values())
    return {
        k: kraljic_class(spend=spends[k], threshold=threshold, supply_risk=risk)
        for k, risk in risk_by_supplier.items()
    }
