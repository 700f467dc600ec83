"""Generic writes every domain service builds on: one transaction, full validation, history author.

Domain services (`parties.services.organization_create` …) call these and add their own rules; views,
API and tasks call the domain services, never these directly and never `Model.save()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from . import signals, visibility

M = TypeVar("M", bound=models.Model)


def _split(model: type[models.Model], data: Mapping[str, Any]) -> tuple[dict, dict]:
    """Separate plain fields from many-to-many fields (set after the row exists)."""
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _save(instance: M, actor: Any, m2m: Mapping[str, Iterable[Any]]) -> M:
    instance._history_user = actor if visibility.is_authenticated(actor) else None  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance


def require_write(actor: Any) -> None:
    if actor is not None and not visibility.may_write(actor):
        raise PermissionDenied(_("Your role may only read."))


def require_change(actor: Any, instance: models.Model) -> None:
    if actor is not None and not visibility.can_change(actor, instance):
        raise PermissionDenied(_("You may not change this record."))


def model_create(model: type[M], *, actor: Any, data: Mapping[str, Any]) -> M:
    """Create one row (with its many-to-many values) after full validation, in one transaction.

    `actor` None means a system write (demo loader, migration); otherwise the role is checked and an
    owned record without an owner is given the actor as owner and the actor's first team.
    """
    require_write(actor)
    plain, m2m = _split(model, data)
    with transaction.atomic():
        instance = model(**plain)
        if actor is not None and hasattr(instance, "owner_id"):
            if instance.owner_id is None:  # type: ignore[attr-defined]
                instance.owner = actor  # type: ignore[attr-defined]
            if getattr(instance, "team_id", None) is None:
                teams = visibility.team_ids(actor)
                instance.team_id = teams[0] if teams else None  # type: ignore[attr-defined]
        _save(instance, actor, m2m)
        signals.send_record_changed(instance, signals.CREATED, actor)
        return instance


def model_update(instance: M, *, actor: Any, data: Mapping[str, Any]) -> M:
    """Change fields of one row after full validation, in one transaction."""
    require_change(actor, instance)
    plain, m2m = _split(type(instance), data)
    with transaction.atomic():
        for name, value in plain.items():
            setattr(instance, name, value)
        _save(instance, actor, m2m)
        signals.send_record_changed(instance, signals.UPDATED, actor)
        return instance


def model_delete(instance: models.Model, *, actor: Any) -> None:
    """Delete one row and what cascades with it, announcing each row (`record_changed`) first."""
    require_change(actor, instance)
    with transaction.atomic():
        instance._history_user = actor if visibility.is_authenticated(actor) else None  # type: ignore[attr-defined]
        if not signals.record_changed.has_listeners():
            instance.delete()
            return
        # Collect once, as Model.delete() does, so cascaded rows are announced while they exist.
        using = router.db_for_write(type(instance), instance=instance)
        collector = Collector(using=using, origin=instance)
        collector.collect([instance])
        for model, obj in list(collector.instances_with_model()):
            if not model._meta.auto_created:
                signals.send_record_changed(obj, signals.DELETED, actor, origin=instance)
        if type(instance).delete is models.Model.delete:
            collector.delete()
        else:  # a model with its own delete() keeps it
            instance.delete()
