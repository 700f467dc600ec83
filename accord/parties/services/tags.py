"""Tags: shared labels, given by name or id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accord.core import services as core

from ..models import Tag

# --- tags --------------------------------------------------------------------------------------


def tag_create(*, actor: Any, data: Mapping[str, Any]) -> Tag:
    data = dict(data)
    data["name"] = " ".join(str(data.get("name", "")).split())
    return core.model_create(Tag, actor=actor, data=data)


def tag_update(*, actor: Any, instance: Tag, data: Mapping[str, Any]) -> Tag:
    data = dict(data)
    if "name" in data:
        data["name"] = " ".join(str(data["name"]).split())
    return core.model_update(instance, actor=actor, data=data)


def tag_delete(*, actor: Any, instance: Tag) -> None:
    core.model_delete(instance, actor=actor)


def resolve_tags(*, actor: Any, values: Iterable[Any]) -> list[Tag]:
    """Tags given as Tag objects, ids (int) or names (str); unknown names are created."""
    tags: list[Tag] = []
    for value in values or []:
        if isinstance(value, Tag):
            tags.append(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            tag = Tag.objects.filter(pk=value).first()
            if tag is None:
                raise ValidationError(
                    {"tags": _("There is no tag with id %(id)s.") % {"id": value}}
                )
            tags.append(tag)
        else:
            name = " ".join(str(value).split())
            if not name:
                continue
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                try:
                    tag = tag_create(actor=actor, data={"name": name})
                except ValidationError as exc:
                    raise ValidationError({"tags": exc.messages}) from exc
            tags.append(tag)
    return list({t.pk: t for t in tags}.values())
