"""From record changes to deliveries: the receiver of `core.signals.record_changed`.

Runs inside the transaction of the change, so a rolled-back change leaves no delivery and no task.
For each active endpoint that subscribed to the event and whose owner may see the record, one
delivery is stored and its task enqueued. Rules:

* a change to a part of a record (a person's address, number or position: models that declare
  `visibility_parent`) is an update of the record; parts deleted together with the record are not;
* an update that finds an earlier created/updated delivery of the same record to the same endpoint
  still waiting for its first attempt joins it (that delivery's payload is built at the attempt,
  from the record as it is then) instead of queueing another;
* a deletion's payload is taken now, while the row still exists.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from accord.core import signals, visibility

from ..choices import RECORD_TYPES, DeliveryStatus, event_name
from ..models import WebhookDelivery, WebhookEndpoint
from .delivery import enqueue, may_see, record_payload


def _same(origin: Any, model: type[models.Model], pk: Any) -> bool:
    return origin is not None and type(origin) is model and origin.pk == pk


def announced(
    sender: type[models.Model], instance: models.Model, action: str, origin: Any = None
) -> tuple[str, models.Model, str] | None:
    """(record type, record, action) that a change of `instance` amounts to, or None."""
    record_type = RECORD_TYPES.get(sender._meta.label_lower)
    if record_type is not None:
        return record_type, instance, action
    parent_name = getattr(sender, "visibility_parent", None)
    if not parent_name:
        return None
    field = sender._meta.get_field(parent_name)
    parent_model = field.related_model
    parent_id = getattr(instance, field.attname, None)  # type: ignore[union-attr]
    if parent_id is None or not isinstance(parent_model, type):
        return None
    if action == signals.DELETED and _same(origin, parent_model, parent_id):
        return None  # deleted together with its record: the record's deletion says it all
    parent = getattr(instance, parent_name, None)
    if parent is None:
        return None
    return announced(parent_model, parent, signals.UPDATED, origin)


def on_record_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    actor: Any = None,
    origin: Any = None,
    **kwargs: Any,
) -> None:
    found = announced(sender, instance, action, origin)
    if found is not None:
        record_type, record, record_action = found
        record_event(record_type=record_type, instance=record, action=record_action, actor=actor)


def _join_waiting(endpoint: WebhookEndpoint, record_type: str, pk: Any) -> bool:
    """Join a created/updated delivery of this record that has not been prepared yet."""
    now = timezone.now()
    return bool(
        WebhookDelivery.objects.filter(
            endpoint=endpoint,
            object_type=record_type,
            object_id=pk,
            status=DeliveryStatus.PENDING,
            prepared_at__isnull=True,
            is_test=False,
        ).update(updated_at=now)
    )


def _active_endpoints() -> list[WebhookEndpoint]:
    """The active endpoints; asked once per `signals.batch()` (an import batch), else each time."""
    memo = signals.batch_cache()
    if memo is not None and "webhooks.endpoints" in memo:
        return memo["webhooks.endpoints"]
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).select_related("owner"))
    if memo is not None:
        memo["webhooks.endpoints"] = endpoints
    return endpoints


def record_event(
    *, record_type: str, instance: models.Model, action: str, actor: Any
) -> list[WebhookDelivery]:
    """Store and enqueue the deliveries of one event; returns those created."""
    event = event_name(record_type, action)
    endpoints = [e for e in _active_endpoints() if e.wants(event)]
    if not endpoints:
        return []
    who = actor if visibility.is_authenticated(actor) else None
    now = timezone.now()
    created: list[WebhookDelivery] = []
    for endpoint in endpoints:
        if not may_see(endpoint.owner, instance):
            continue
        if action == signals.UPDATED and _join_waiting(endpoint, record_type, instance.pk):
            continue
        delivery = WebhookDelivery(
            endpoint=endpoint,
            event=event,
            object_type=record_type,
            object_id=instance.pk,
            actor=who,
            next_attempt_at=now,
        )
        if action == signals.DELETED:
            delivery.payload = record_payload(delivery, endpoint.owner, instance)
            delivery.prepared_at = now
        delivery.save()
        enqueue(delivery)
        created.append(delivery)
    return created
