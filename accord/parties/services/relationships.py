"""Relationships: typed, dated edges between two organizations or two people."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.core import services as core

from ..models import Relationship

# --- relationships -----------------------------------------------------------------------------


def relationship_create(*, actor: Any, data: Mapping[str, Any]) -> Relationship:
    return core.model_create(Relationship, actor=actor, data=data)


def relationship_update(
    *, actor: Any, instance: Relationship, data: Mapping[str, Any]
) -> Relationship:
    return core.model_update(instance, actor=actor, data=data)


def relationship_delete(*, actor: Any, instance: Relationship) -> None:
    core.model_delete(instance, actor=actor)
