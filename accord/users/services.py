"""Writes on users and teams: profile, API token, role and team membership (admins only)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .choices import Role
from .models import Team, User


def _require_admin(actor: Any) -> None:
    if not (actor.is_superuser or actor.role == Role.ADMIN):
        raise PermissionDenied(_("Only administrators manage users and teams."))


def user_update_profile(*, actor: User, first_name: str, last_name: str, time_zone: str) -> User:
    """A user changes their own name and time zone."""
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone.")})
    with transaction.atomic():
        actor.first_name, actor.last_name, actor.time_zone = first_name, last_name, time_zone
        actor.full_clean(exclude=["password"])
        actor.save(update_fields=["first_name", "last_name", "time_zone"])
    return actor


def api_token_regenerate(*, actor: User) -> Token:
    """Replace the user's API token; the old one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=actor).delete()
        return Token.objects.create(user=actor)


def api_token_revoke(*, actor: User) -> None:
    Token.objects.filter(user=actor).delete()


def user_set_access(
    *, actor: User, user: User, role: str, teams: Iterable[Team], is_active: bool
) -> User:
    """An administrator sets a colleague's role, teams and whether the account is active."""
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if user.pk == actor.pk and (role != Role.ADMIN or not is_active):
        raise ValidationError({"role": _("You cannot remove your own administrator access.")})
    with transaction.atomic():
        user.role, user.is_active = role, is_active
        user.save(update_fields=["role", "is_active"])
        user.teams.set(teams)
    return user


def team_create(*, actor: User, name: str, description: str = "") -> Team:
    _require_admin(actor)
    with transaction.atomic():
        team = Team(name=name.strip(), description=description)
        team.full_clean()
        team.save()
    return team
