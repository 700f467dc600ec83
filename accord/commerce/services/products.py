"""Products: only administrators and managers change the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility

from ..models import Product


def _require_catalogue_manager(actor: Any) -> None:
    if actor is not None and not visibility.sees_everything(actor):
        raise PermissionDenied(_("Only administrators and managers change the product catalogue."))


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
    return data


def product_create(*, actor: Any, data: Mapping[str, Any]) -> Product:
    _require_catalogue_manager(actor)
    return core.model_create(Product, actor=actor, data=_clean(data))


def product_update(*, actor: Any, instance: Product, data: Mapping[str, Any]) -> Product:
    _require_catalogue_manager(actor)
    return core.model_update(instance, actor=actor, data=_clean(data))


def product_delete(*, actor: Any, instance: Product) -> None:
    _require_catalogue_manager(actor)
    core.model_delete(instance, actor=actor)
