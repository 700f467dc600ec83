"""Stakeholder projects and concerns in global search (index: migration 0002)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models import Concern, StakeholderProject


def concern_subtitle(concern: Concern) -> str:
    """ "Erweiterung Werk Nord · Received · 2025-03-12"."""
    parts = [concern.project, concern.get_status_display(), concern.received_on]
    return " · ".join(str(p) for p in parts if p)


register_search(
    StakeholderProject,
    fields=("name", "description", "location"),
    title=lambda project: project.name,
    subtitle=lambda project: project.location,
    kind_label=_("Stakeholder projects"),
    icon="community",
)

register_search(
    Concern,
    fields=("title", "description"),
    title=lambda concern: concern.title,
    subtitle=concern_subtitle,
    kind_label=_("Concerns"),
    select_related=("project",),
    newest_first="received_on",
    icon="community",
)
