"""Writes of the webhooks app: endpoints and allowed hosts (`endpoints`), deliveries created from
record changes (`events`), and sending them (`delivery`)."""

from .delivery import attempt_delivery, disable_endpoint, record_outcome, retry_delay, sweep
from .endpoints import (
    allowed_host_create,
    allowed_host_delete,
    check_target_url,
    delivery_redeliver,
    endpoint_create,
    endpoint_delete,
    endpoint_enable,
    endpoint_rotate_secret,
    endpoint_send_test,
    endpoint_update,
)
from .events import on_record_changed, record_event

__all__ = [
    "allowed_host_create",
    "allowed_host_delete",
    "attempt_delivery",
    "check_target_url",
    "delivery_redeliver",
    "disable_endpoint",
    "endpoint_create",
    "endpoint_delete",
    "endpoint_enable",
    "endpoint_rotate_secret",
    "endpoint_send_test",
    "endpoint_update",
    "on_record_changed",
    "record_event",
    "record_outcome",
    "retry_delay",
    "sweep",
]
