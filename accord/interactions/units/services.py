"""Requests between internal business units.

Rules (each refused with a message naming the field): a title; the requesting and the serving
unit are organizations with the internal role that the actor may see, and not the same one; a
person named as requester is one the actor may see. Done and declined requests get the day they
were closed; reopening clears it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization, Person

from ..models import UNIT_REQUEST_OPEN_STATUSES, UnitRequest, UnitRequestStatus

UNIT_FIELDS = ("requester", "server")


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _prepare(actor: Any, data: Mapping[str, Any], instance: UnitRequest | None) -> dict[str, Any]:
    data = dict(data)
    for key in ("title", "description"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    data.pop("closed_on", None)
    errors: dict[str, str] = {}
    title = data.get("title", instance.title if instance else "")
    if not str(title or "").strip():
        errors["title"] = _("Enter a title.")
    units: dict[str, Any] = {}
    for field in UNIT_FIELDS:
        value = data.get(field, getattr(instance, f"{field}_id") if instance else None)
        pk = _pk(value)
        if pk in (None, ""):
            errors[field] = (
                _("Choose the requesting unit.")
                if field == "requester"
                else _("Choose the serving unit.")
            )
            continue
        units[field] = pk
        changed = instance is None or getattr(instance, f"{field}_id") != pk
        if not changed:
            continue
        qs = Organization.objects.filter(pk=pk)
        if actor is not None:
            qs = qs.filter(pk__in=Organization.objects.visible_to(actor).values("pk"))
        org = qs.only("id", "is_internal").first()
        if org is None:
            errors[field] = _("You may choose only organizations you can see.")
        elif not org.is_internal:
            errors[field] = (
                _("The requesting unit must be an internal business unit.")
                if field == "requester"
                else _("The serving unit must be an internal business unit.")
            )
    if (
        "requester" in units
        and "server" in units
        and units["requester"] == units["server"]
        and "server" not in errors
    ):
        errors["server"] = _("A unit cannot send a request to itself; choose another unit.")
    person = data.get("requested_by")
    if (
        person not in (None, "")
        and actor is not None
        and (instance is None or instance.requested_by_id != _pk(person))
        and not Person.objects.visible_to(actor).filter(pk=_pk(person)).exists()
    ):
        errors["requested_by"] = _("You may choose only people you can see.")
    status = data.get("status", instance.status if instance else UnitRequestStatus.OPEN)
    if status not in UnitRequestStatus.values:
        errors["status"] = _("Choose a valid status.")
    if errors:
        raise ValidationError(errors)
    if "status" in data:
        if status in UNIT_REQUEST_OPEN_STATUSES:
            data["closed_on"] = None
        elif instance is None or instance.status in UNIT_REQUEST_OPEN_STATUSES:
            data["closed_on"] = timezone.localdate()
    return data


def unit_request_create(*, actor: Any, data: Mapping[str, Any]) -> UnitRequest:
    core.require_write(actor)
    prepared = _prepare(actor, data, None)
    with transaction.atomic():
        return core.model_create(UnitRequest, actor=actor, data=prepared)


def unit_request_update(
    *, actor: Any, instance: UnitRequest, data: Mapping[str, Any]
) -> UnitRequest:
    core.require_change(actor, instance)
    prepared = _prepare(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def unit_request_delete(*, actor: Any, instance: UnitRequest) -> None:
    core.model_delete(instance, actor=actor)
