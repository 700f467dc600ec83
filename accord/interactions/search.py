"""Interactions (newest first) and requests between internal units in global search (discovered
by core; the indexes are migrations 0003 and 0006)."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models import Interaction, UnitRequest


def interaction_subtitle(interaction: Interaction) -> str:
    """When, what kind, and the first line of the text: "03.02.2026 14:05 · Call · Asked for …"."""
    when = formats.date_format(timezone.localtime(interaction.occurred_at), "SHORT_DATETIME_FORMAT")
    first_line = next((line.strip() for line in interaction.body.splitlines() if line.strip()), "")
    parts = (when, str(interaction.get_kind_display()), Truncator(first_line).chars(120))
    return " · ".join(p for p in parts if p)


register_search(
    Interaction,
    fields=("subject", "body"),
    title=lambda interaction: interaction.subject,
    subtitle=interaction_subtitle,
    kind_label=_("Interactions"),
    newest_first="occurred_at",
    icon="interaction",
)


def unit_request_subtitle(request: UnitRequest) -> str:
    """ "Werk Nord → IT · Open"."""
    return f"{request.requester.name} → {request.server.name} · {request.get_status_display()}"


register_search(
    UnitRequest,
    fields=("title", "description"),
    title=lambda request: request.title,
    subtitle=unit_request_subtitle,
    kind_label=_("Unit requests"),
    icon="building",
    select_related=("requester", "server"),
)
