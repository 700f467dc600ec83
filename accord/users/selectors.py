"""Reads about our own users and teams."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Team, User


def user_list(actor: Any) -> QuerySet[User]:
    """Every active colleague with their teams (names and roles are not secret inside the company)."""
    return User.objects.filter(is_active=True).prefetch_related(
        Prefetch("teams", queryset=Team.objects.order_by("name"))
    )


def team_list(actor: Any) -> QuerySet[Team]:
    return Team.objects.prefetch_related(
        Prefetch("members", queryset=User.objects.filter(is_active=True).order_by("first_name"))
    )
