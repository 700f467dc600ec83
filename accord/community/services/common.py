"""Shared rules of the community services: linked rows must be visible to the actor, a
stakeholder is one organization or one person, text is trimmed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from accord.contracts.models import Commitment
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person

from ..models import Consultation, StakeholderProject

LINKED: dict[str, type[models.Model]] = {
    "organization": Organization,
    "person": Person,
    "project": StakeholderProject,
    "consultation": Consultation,
    "interaction": Interaction,
    "interactions": Interaction,
    "commitments": Commitment,
}


def not_visible_message(field: str) -> str:
    return {
        "organization": _("You may link only organizations you can see."),
        "person": _("You may link only people you can see."),
        "project": _("You may choose only projects you can see."),
        "consultation": _("You may choose only consultations you can see."),
        "interaction": _("You may link only interactions you can see."),
        "interactions": _("You may link only interactions you can see."),
        "commitments": _("You may link only commitments you can see."),
    }[field]


def pk_of(value: Any) -> Any:
    return getattr(value, "pk", value)


def trim(data: dict[str, Any], *names: str) -> None:
    for name in names:
        if name in data and data[name] is not None:
            data[name] = str(data[name]).strip()


def check_links(actor: Any, data: dict[str, Any], instance: models.Model | None) -> dict[str, str]:
    """Errors by field for linked rows the actor may not see. A link that is already there is
    kept whether the actor sees it or not (an edit never drops what another user linked)."""
    errors: dict[str, str] = {}
    if actor is None:  # a system write (demo, import)
        return errors
    for field, model in LINKED.items():
        if field not in data or data[field] in (None, "", [], ()):
            continue
        visible = model._default_manager.visible_to(actor)  # type: ignore[attr-defined]
        value = data[field]
        if isinstance(value, Iterable) and not isinstance(value, str | models.Model):
            wanted = list(dict.fromkeys(pk_of(v) for v in value))
            existing: set[Any] = set()
            if instance is not None and instance.pk:
                existing = set(getattr(instance, field).values_list("pk", flat=True))
            new = [pk for pk in wanted if pk not in existing]
            if new and visible.filter(pk__in=new).count() != len(new):
                errors[field] = not_visible_message(field)
                continue
            if existing:  # keep the links the actor cannot see
                seen = set(visible.filter(pk__in=existing).values_list("pk", flat=True))
                wanted += [pk for pk in existing if pk not in seen and pk not in wanted]
            data[field] = wanted
        else:
            pk = pk_of(value)
            current = getattr(instance, f"{field}_id", None) if instance is not None else None
            if pk != current and not visible.filter(pk=pk).exists():
                errors[field] = not_visible_message(field)
    return errors


def merged(data: Mapping[str, Any], instance: Any, *names: str) -> dict[str, Any]:
    """The values the record will have: the new ones, else those stored."""
    out = {}
    for name in names:
        if name in data:
            out[name] = data[name]
        else:
            out[name] = getattr(instance, name, None) if instance is not None else None
    return out


def one_stakeholder_errors(values: Mapping[str, Any]) -> dict[str, str]:
    org, person = values.get("organization"), values.get("person")
    if org in (None, "") and person in (None, ""):
        return {"organization": _("Choose an organization or a person.")}
    if org not in (None, "") and person not in (None, ""):
        return {"person": _("Choose an organization or a person, not both.")}
    return {}
