"""Contracts, commitments and negotiations in global search (discovered by core; indexes:
migrations 0004 and 0005)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models.commitments import Commitment
from .models.contracts import Contract
from .models.negotiations import Negotiation


# --- contracts ---
def contract_subtitle(contract: Contract) -> str:
    """ "Müller GmbH · Framework agreement · 120000.00 EUR · Active"."""
    parts = (
        contract.counterparty_name,
        contract.get_contract_type_display(),
        f"{contract.value} {contract.currency}",
        contract.get_status_display(),
    )
    return " · ".join(str(p) for p in parts if p)


register_search(
    Contract,
    fields=("title", "number", "counterparty_name"),
    title=lambda contract: str(contract),
    subtitle=contract_subtitle,
    kind_label=_("Contracts"),
    icon="contract",
)


# --- commitments ---
def commitment_subtitle(commitment: Commitment) -> str:
    """ "Ours · Open · due 2025-03-12"."""
    parts = [commitment.get_side_display(), commitment.get_status_display()]
    if commitment.due_date:
        parts.append(str(_("due %(date)s") % {"date": commitment.due_date.isoformat()}))
    return " · ".join(str(p) for p in parts)


register_search(
    Commitment,
    fields=("title", "description", "source"),
    title=lambda commitment: commitment.title,
    subtitle=commitment_subtitle,
    kind_label=_("Commitments"),
    icon="check",
)


# --- negotiations ---
def negotiation_subtitle(negotiation: Negotiation) -> str:
    """ "Müller GmbH · Purchase · Open"."""
    parts = (
        negotiation.counterparty.name,
        negotiation.get_kind_display(),
        negotiation.get_status_display(),
    )
    return " · ".join(str(p) for p in parts if p)


register_search(
    Negotiation,
    fields=("title", "goal", "outcome_reason"),
    title=lambda negotiation: negotiation.title,
    subtitle=negotiation_subtitle,
    kind_label=_("Negotiations"),
    icon="round",
    select_related=("counterparty",),
)
