"""Test data for competitors: competitor organizations and their presence."""

from __future__ import annotations

from typing import Any

from accord.parties.models import Organization


def make_competitor(
    *, owner: Any = None, team: Any = None, name: str = "Kälte-Konkurrenz AG"
) -> Organization:
    return Organization.objects.create(name=name, owner=owner, team=team, is_competitor=True)
