"""Opportunities in global search by title and next step (discovered by core; the index is
migration 0003); the hit shows the organization, stage and amount."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models import Opportunity


def opportunity_subtitle(opportunity: Opportunity) -> str:
    """ "Müller GmbH · Proposal · 12000.00 EUR"."""
    parts = (
        opportunity.organization,
        opportunity.stage,
        f"{opportunity.amount} {opportunity.currency}",
    )
    return " · ".join(str(p) for p in parts)


register_search(
    Opportunity,
    fields=("title", "next_step"),
    title=lambda opportunity: opportunity.title,
    subtitle=opportunity_subtitle,
    kind_label=_("Opportunities"),
    select_related=("organization", "stage"),
    icon="opportunity",
)
