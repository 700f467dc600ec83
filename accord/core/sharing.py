"""Sharing one record with a colleague or a team beyond the owner's team (read access).

Services and selectors for `Share`; the visibility rule in `visibility.py` reads the rows written here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import visibility
from .models import Share


def shares_of(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj)
    return Share.objects.filter(content_type=ct, object_id=obj.pk).select_related("user", "team")


def share_create(*, actor: Any, obj: models.Model, user: Any = None, team: Any = None) -> Share:
    """Give `user` or `team` read access to `obj`; only someone who may change `obj` may share it."""
    if not visibility.can_change(actor, obj):
        raise PermissionDenied(_("You may not share this record."))
    if (user is None) == (team is None):
        raise ValidationError({"user": _("Choose either a colleague or a team.")})
    ct = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        share, _created = Share.objects.get_or_create(
            content_type=ct, object_id=obj.pk, user=user, team=team
        )
    return share


def share_delete(*, actor: Any, share: Share) -> None:
    target = share.target
    if target is None or not visibility.can_change(actor, target):
        raise PermissionDenied(_("You may not change the sharing of this record."))
    with transaction.atomic():
        share.delete()
