"""Template helpers for interaction pages."""

from __future__ import annotations

from typing import Any

from django import template

from accord.core import visibility

register = template.Library()


@register.filter
def may_change(user: Any, obj: Any) -> bool:
    """Whether `user` may change `obj` (no query: the user's teams are cached per request)."""
    return visibility.can_change(user, obj)
