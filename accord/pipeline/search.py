"""Opportunities in global search by title and next step (discovered by core; the index is
migration 0003); the hit shows the organization, stage and amount. Market signals by title, topic
and note, newest first (index: migration 0006)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models import MarketSignal, Opportunity


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


# --- market signals ---
def market_signal_subtitle(signal: MarketSignal) -> str:
    """ "Fernwartung · Request · 2025-03-12"."""
    return " · ".join(
        str(p) for p in (signal.topic, signal.get_direction_display(), signal.observed_on)
    )


register_search(
    MarketSignal,
    fields=("title", "topic", "note"),
    title=lambda signal: signal.title,
    subtitle=market_signal_subtitle,
    kind_label=_("Market signals"),
    newest_first="observed_on",
    icon="lightbulb",
)
