"""The import pipeline: read → plan → apply, per kind of record (see `base`)."""

from __future__ import annotations

from typing import Any

from ..choices import ImportKind
from .activities import FollowUpHandler, InteractionHandler
from .base import Handler, Planned, RowData, RowError
from .organizations import OrganizationHandler
from .people import PersonHandler
from .purchases import DeliveryHandler, PurchaseOrderHandler

HANDLERS: dict[str, type[Handler]] = {
    ImportKind.ORGANIZATIONS: OrganizationHandler,
    ImportKind.PEOPLE: PersonHandler,
    ImportKind.INTERACTIONS: InteractionHandler,
    ImportKind.FOLLOW_UPS: FollowUpHandler,
    ImportKind.PURCHASE_ORDERS: PurchaseOrderHandler,
    ImportKind.DELIVERIES: DeliveryHandler,
}


def handler_for(run: Any, *, actor: Any, dry_run: bool) -> Handler:
    return HANDLERS[run.kind](run=run, actor=actor, dry_run=dry_run)


__all__ = ["HANDLERS", "Handler", "Planned", "RowData", "RowError", "handler_for"]
