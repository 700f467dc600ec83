"""The one visibility rule: who may see and who may change a record.

Pages, API, search, exports and analysis all ask here. Roles:

* admin and manager see and change everything;
* member sees what they own, what their teams own and what was shared with them (or their teams),
  and changes what they own or their teams own;
* viewer sees like a member and changes nothing.

A model opts in by inheriting `core.models.OwnedModel`. A record that belongs to another record
(a position of a person, a participant of an interaction) declares `visibility_parent = "person"`
and is visible exactly when its parent is. A model may widen the rule with a classmethod
`visibility_extra_q(user, prefix)` (for example: the assignee of a follow-up sees it).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

ROLE_ADMIN = "admin"
ROLE_MANAGER = "manager"
ROLE_MEMBER = "member"
ROLE_VIEWER = "viewer"

_NOTHING = Q(pk__in=[])


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_everything(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser or getattr(user, "role", None) in (ROLE_ADMIN, ROLE_MANAGER))


def may_write(user: Any) -> bool:
    """Whether the user may create records at all (viewers read only)."""
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser or getattr(user, "role", None) != ROLE_VIEWER)


def team_ids(user: Any) -> list[int]:
    """The ids of the user's teams, cached on the user object for the request."""
    if not is_authenticated(user):
        return []
    cached = getattr(user, "_accord_team_ids", None)
    if cached is None:
        cached = list(user.teams.values_list("pk", flat=True))
        user._accord_team_ids = cached
    return cached


def _parent_model(model: type[models.Model]) -> tuple[str, type[models.Model]] | None:
    parent = getattr(model, "visibility_parent", None)
    if not parent:
        return None
    field = model._meta.get_field(parent)
    return parent, field.related_model  # type: ignore[return-value]


def visibility_q(model: type[models.Model], user: Any, prefix: str = "") -> Q:
    """A filter selecting the rows of `model` that `user` may see."""
    if not is_authenticated(user):
        return _NOTHING
    parent = _parent_model(model)
    if parent is not None:
        name, parent_model = parent
        return visibility_q(parent_model, user, prefix=f"{prefix}{name}__")
    if sees_everything(user):
        return Q()
    from django.contrib.contenttypes.models import ContentType

    from .models import Share

    teams = team_ids(user)
    ct = ContentType.objects.get_for_model(model)
    shared = Share.objects.filter(content_type=ct).filter(Q(user=user) | Q(team__in=teams))
    q = (
        Q(**{f"{prefix}owner": user})
        | Q(**{f"{prefix}team__in": teams})
        | Q(**{f"{prefix}pk__in": shared.values("object_id")})
    )
    extra = getattr(model, "visibility_extra_q", None)
    if extra is not None:
        q |= extra(user, prefix)
    return q


def can_view(user: Any, obj: models.Model) -> bool:
    return type(obj)._default_manager.filter(visibility_q(type(obj), user), pk=obj.pk).exists()


def can_change(user: Any, obj: models.Model) -> bool:
    """Whether the user may edit or delete `obj` (a member: own or team's; viewers never)."""
    if not may_write(user):
        return False
    parent = _parent_model(type(obj))
    if parent is not None:
        return can_change(user, getattr(obj, parent[0]))
    if sees_everything(user):
        return True
    if getattr(obj, "owner_id", None) == user.pk:
        return True
    if getattr(obj, "team_id", None) in team_ids(user):
        return True
    extra = getattr(obj, "change_extra", None)
    return bool(extra is not None and extra(user))


class VisibleQuerySet(models.QuerySet):
    """A queryset that knows the visibility rule: `Model.objects.visible_to(user)`."""

    def visible_to(self, user: Any) -> VisibleQuerySet:
        q = visibility_q(self.model, user)
        return self.filter(q) if q else self.all()
