"""Writes to webhook endpoints and allowed hosts: create, change, delete, rotate the secret,
re-enable, send a test event. Only administrators and managers; allowed hosts only administrators."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core

from .. import payloads, selectors, targets
from ..choices import EVENTS, TEST_EVENT
from ..models import AllowedWebhookHost, WebhookDelivery, WebhookEndpoint
from .delivery import enqueue

ENDPOINT_FIELDS = ("name", "url", "all_events", "events", "is_active")


def require_manager(actor: Any) -> None:
    if not selectors.can_manage_webhooks(actor):
        raise PermissionDenied(_("Only administrators and managers manage webhooks."))


def require_admin(actor: Any) -> None:
    if not selectors.can_allow_hosts(actor):
        raise PermissionDenied(_("Only administrators allow internal hosts."))


def check_target_url(url: str) -> str:
    """The URL, stripped, if a webhook may be sent there; else ValidationError on "url"."""
    try:
        return targets.check_url(url).url
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None


def _clean_events(values: Iterable[Any] | None) -> list[str]:
    chosen = [str(v) for v in values or []]
    unknown = sorted(set(chosen) - set(EVENTS))
    if unknown:
        raise ValidationError(
            {"events": _("Unknown event: %(events)s.") % {"events": ", ".join(unknown)}}
        )
    return [e for e in EVENTS if e in chosen]  # catalogue order, no duplicates


def _endpoint_data(data: Mapping[str, Any], instance: WebhookEndpoint | None) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in ENDPOINT_FIELDS}
    if "name" in values:
        values["name"] = " ".join(str(values["name"] or "").split())
    if "url" in values and (instance is None or values["url"] != instance.url):
        values["url"] = check_target_url(str(values["url"] or ""))
    if "events" in values:
        values["events"] = _clean_events(values["events"])
    all_events = values.get("all_events", instance.all_events if instance else True)
    events = values.get("events", instance.events if instance else [])
    if not all_events and not events:
        raise ValidationError({"events": _("Choose at least one event, or all events.")})
    return values


def endpoint_create(*, actor: Any, data: Mapping[str, Any]) -> WebhookEndpoint:
    """A new endpoint owned by the actor, with a new secret (shown to them once)."""
    require_manager(actor)
    values = _endpoint_data(data, None)
    values["secret"] = payloads.generate_secret()
    return core.model_create(WebhookEndpoint, actor=actor, data=values)


def _reset_failures() -> dict[str, Any]:
    return {
        "consecutive_failures": 0,
        "failing_since": None,
        "disabled_at": None,
        "disabled_reason": "",
    }


def endpoint_update(
    *, actor: Any, instance: WebhookEndpoint, data: Mapping[str, Any]
) -> WebhookEndpoint:
    """Change name, URL, events or the active switch; switching a disabled endpoint on again
    re-checks its URL and clears the failure count."""
    require_manager(actor)
    values = _endpoint_data(data, instance)
    if values.get("is_active") and not instance.is_active:
        values.setdefault("url", check_target_url(instance.url))
        values.update(_reset_failures())
    elif "url" in values and values["url"] != instance.url:
        values.update(consecutive_failures=0, failing_since=None)  # a new receiver starts afresh
    return core.model_update(instance, actor=actor, data=values)


def endpoint_delete(*, actor: Any, instance: WebhookEndpoint) -> None:
    """Delete the endpoint with its delivery log; queued deliveries are dropped."""
    require_manager(actor)
    core.model_delete(instance, actor=actor)


def endpoint_enable(*, actor: Any, instance: WebhookEndpoint) -> WebhookEndpoint:
    """Re-enable a disabled endpoint (after its receiver was fixed)."""
    return endpoint_update(actor=actor, instance=instance, data={"is_active": True})


def endpoint_rotate_secret(*, actor: Any, instance: WebhookEndpoint) -> WebhookEndpoint:
    """A new signing secret, effective for every delivery sent from now on (retries included)."""
    require_manager(actor)
    return core.model_update(
        instance,
        actor=actor,
        data={"secret": payloads.generate_secret(), "secret_rotated_at": timezone.now()},
    )


def endpoint_send_test(*, actor: Any, instance: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `webhook.test` event (one attempt, no retries; also for a disabled endpoint, to try
    a fixed receiver before re-enabling it). It does not count towards disabling."""
    require_manager(actor)
    check_target_url(instance.url)
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery(
            endpoint=instance,
            event=TEST_EVENT,
            is_test=True,
            actor=actor,
            next_attempt_at=now,
            prepared_at=now,
        )
        delivery.payload = payloads.ping_envelope(
            delivery_uuid=delivery.uuid, created_at=now, actor=actor
        )
        delivery.save()
        enqueue(delivery)
    return delivery


def delivery_redeliver(*, actor: Any, instance: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery with the same payload (a receiver that
    missed it while it was down, say). A payload not built yet is built at the new attempt."""
    require_manager(actor)
    endpoint = instance.endpoint
    if not endpoint.is_active and not instance.is_test:
        raise ValidationError(_("Re-enable the endpoint before sending events to it again."))
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery(
            endpoint=endpoint,
            event=instance.event,
            object_type=instance.object_type,
            object_id=instance.object_id,
            actor=instance.actor,
            is_test=instance.is_test,
            next_attempt_at=now,
        )
        if instance.payload is not None:
            delivery.payload = {**instance.payload, "id": str(delivery.uuid)}
            delivery.prepared_at = now
        delivery.save()
        enqueue(delivery)
    return delivery


# --- allowed hosts -------------------------------------------------------------------------------


def allowed_host_create(*, actor: Any, data: Mapping[str, Any]) -> AllowedWebhookHost:
    """Allow a host (name or IP, as written in URLs) although it is internal."""
    require_admin(actor)
    raw = str(data.get("host") or "").strip()
    if any(c in raw for c in "/?#@ ") or raw.count(":") == 1:
        raise ValidationError(
            {"host": _("Enter only the host name or IP address, without scheme, port or path.")}
        )
    host = targets.normalise_host(raw)
    if not host:
        raise ValidationError({"host": _("Enter a host name or IP address.")})
    if AllowedWebhookHost.objects.filter(host=host).exists():
        raise ValidationError({"host": _("This host is already allowed.")})
    return core.model_create(
        AllowedWebhookHost,
        actor=actor,
        data={"host": host, "note": str(data.get("note") or "").strip(), "created_by": actor},
    )


def allowed_host_delete(*, actor: Any, instance: AllowedWebhookHost) -> None:
    """Stop allowing the host: endpoints pointing there fail their next delivery and get refused
    on their next save."""
    require_admin(actor)
    core.model_delete(instance, actor=actor)
