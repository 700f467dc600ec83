"""Sending deliveries: claim, build the payload, POST it signed, record the outcome, retry with
back-off, disable an endpoint that keeps failing, and requeue what a crashed worker left behind.

Each attempt runs as a task on the "webhooks" queue (Django's Tasks API, no `core.Job` row): a
retry is a new task enqueued with `run_after`. The HTTP request happens outside any transaction;
before it, the delivery is claimed for `LEASE` so that a duplicate task does not send it twice.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import visibility

from .. import conf, payloads, transport
from ..choices import OPEN_STATUSES, RECORD_TYPES, DeliveryStatus
from ..models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # longer than one attempt can take (2 × timeout, a few seconds)
EARLY = timedelta(seconds=5)  # a task may start this much before its time (clock skew)
OVERDUE = timedelta(minutes=10)  # an open delivery this late has lost its task: requeue it
SWEEP_BATCH = 500
_MODEL_BY_TYPE = {record_type: label for label, record_type in RECORD_TYPES.items()}


def enqueue(delivery: WebhookDelivery, run_after: Any = None) -> None:
    """Queue the task of one attempt in the current transaction (it commits with the delivery)."""
    from ..tasks import deliver_webhook

    if run_after is None:
        deliver_webhook.enqueue(delivery.pk)
    elif deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=run_after).enqueue(delivery.pk)
    # else: a backend without `run_after` (immediate, in tests or a one-off setup) cannot wait;
    # the periodic sweep queues the retry once it is overdue.


def retry_delay(attempts_made: int) -> timedelta | None:
    """The wait before the next attempt after `attempts_made` failed ones; None: give up."""
    delays = conf.retry_delays()
    return delays[attempts_made - 1] if 1 <= attempts_made <= len(delays) else None


def may_see(owner: Any, instance: Any) -> bool:
    if not visibility.is_authenticated(owner):
        return False
    return visibility.sees_everything(owner) or visibility.can_view(owner, instance)


def record_payload(delivery: WebhookDelivery, owner: Any, instance: Any) -> dict[str, Any]:
    data, truncated = payloads.record_data(instance, owner)
    return payloads.envelope(
        delivery_uuid=delivery.uuid,
        event=delivery.event,
        created_at=delivery.created_at or timezone.now(),
        actor=delivery.actor,
        record_type=delivery.object_type,
        record_id=delivery.object_id,
        data=data,
        truncated=truncated,
    )


def _build_payload(delivery: WebhookDelivery, owner: Any) -> tuple[dict | None, str]:
    """The payload of a created/updated event from the record as it is now, or why not."""
    model = apps.get_model(_MODEL_BY_TYPE[delivery.object_type])
    instance = model._default_manager.filter(pk=delivery.object_id).first()
    if instance is None:
        return None, _("The record was deleted before this event was sent.")
    if not may_see(owner, instance):
        return None, _("The endpoint's owner may no longer see this record.")
    return record_payload(delivery, owner, instance), ""


def _finish(delivery: WebhookDelivery, status: str, error: str = "", now: Any = None) -> None:
    delivery.status = status
    delivery.error = transport.clean_text(error, transport.ERROR_CHARS) if error else ""
    delivery.finished_at = now or timezone.now()
    delivery.next_attempt_at = None
    delivery.save()


def _claim(delivery_id: int) -> tuple[WebhookDelivery, WebhookEndpoint] | str:
    """Lock the delivery, check it is due, build its payload once, and take the lease."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("actor")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status not in OPEN_STATUSES:
            return delivery.status
        now = timezone.now()
        if delivery.next_attempt_at and delivery.next_attempt_at > now + EARLY:
            return "not_due"
        endpoint = WebhookEndpoint.objects.select_related("owner").get(pk=delivery.endpoint_id)
        if not endpoint.is_active and not delivery.is_test:
            _finish(delivery, DeliveryStatus.GAVE_UP, _("The endpoint is disabled."), now)
            return delivery.status
        if delivery.payload is None:
            payload, reason = _build_payload(delivery, endpoint.owner)
            if payload is None:
                _finish(delivery, DeliveryStatus.SKIPPED, reason, now)
                return delivery.status
            delivery.payload = payload
            delivery.prepared_at = now
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["payload", "prepared_at", "next_attempt_at", "updated_at"])
        return delivery, endpoint


def attempt_delivery(*, delivery_id: int) -> str:
    """One attempt of one delivery; returns the delivery's status afterwards (or why nothing
    was done). Safe to run twice for the same delivery: the second run finds it claimed or done."""
    claimed = _claim(delivery_id)
    if isinstance(claimed, str):
        return claimed
    delivery, endpoint = claimed
    body = payloads.encode(delivery.payload or {})
    headers = payloads.signed_headers(
        secret=endpoint.secret,
        event=delivery.event,
        delivery_uuid=delivery.uuid,
        timestamp=int(time.time()),
        body=body,
        attempt=delivery.attempts + 1,
    )
    started = timezone.now()
    outcome = transport.post(endpoint.url, body, headers, timeout=conf.timeout())
    return record_outcome(delivery_id=delivery.pk, outcome=outcome, started=started)


def _should_disable(endpoint: WebhookEndpoint, now: Any) -> bool:
    if endpoint.consecutive_failures < conf.disable_after_failures():
        return False
    since = endpoint.failing_since or now
    return now - since >= conf.disable_min_failing()


def disable_endpoint(endpoint: WebhookEndpoint, reason: str, now: Any = None) -> None:
    """Switch the endpoint off, give up its open deliveries, and tell its owner by email."""
    now = now or timezone.now()
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = transport.clean_text(reason, transport.ERROR_CHARS)
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    WebhookDelivery.objects.filter(
        endpoint=endpoint, status__in=OPEN_STATUSES, is_test=False
    ).update(
        status=DeliveryStatus.GAVE_UP,
        error=_("The endpoint was disabled."),
        finished_at=now,
        next_attempt_at=None,
        updated_at=now,
    )
    owner = endpoint.owner
    if owner is not None and owner.email:
        subject = _("Webhook “%(name)s” was disabled") % {"name": endpoint.name}
        message = "\n\n".join([subject, endpoint.disabled_reason, endpoint.url])
        transaction.on_commit(
            lambda: send_mail(
                subject,
                message,
                getattr(settings, "DEFAULT_FROM_EMAIL", None),
                [owner.email],
                fail_silently=True,
            )
        )


def record_outcome(*, delivery_id: int, outcome: transport.Outcome, started: Any) -> str:
    """Store the attempt; schedule the retry or give up; count the endpoint's failures."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return "missing"
        if delivery.status not in OPEN_STATUSES:  # given up meanwhile (endpoint disabled)
            return delivery.status
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = started
        delivery.response_status = outcome.status
        delivery.response_body = outcome.body
        delivery.error = outcome.error
        delivery.duration_ms = outcome.duration_ms
        if outcome.ok:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.finished_at = now
            delivery.next_attempt_at = None
            if not delivery.is_test and (endpoint.consecutive_failures or endpoint.failing_since):
                endpoint.consecutive_failures = 0
                endpoint.failing_since = None
                endpoint.save(update_fields=["consecutive_failures", "failing_since"])
            delivery.save()
            return delivery.status
        delay = None if delivery.is_test else retry_delay(delivery.attempts)
        if delay is None:
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.finished_at = now
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = now + delay
        delivery.save()
        if delay is not None:
            enqueue(delivery, run_after=delivery.next_attempt_at)
        if not delivery.is_test:
            endpoint.consecutive_failures += 1
            endpoint.failing_since = endpoint.failing_since or started
            endpoint.save(update_fields=["consecutive_failures", "failing_since"])
            if endpoint.is_active and _should_disable(endpoint, now):
                reason = _(
                    "Disabled after %(n)d failed attempts in a row (failing since %(since)s). "
                    "Last error: %(error)s"
                ) % {
                    "n": endpoint.consecutive_failures,
                    "since": endpoint.failing_since.isoformat(timespec="minutes"),
                    "error": outcome.error,
                }
                disable_endpoint(endpoint, reason, now)
                delivery.refresh_from_db()
        return delivery.status


def sweep(*, now: Any = None) -> dict[str, int]:
    """Requeue open deliveries whose task was lost (a worker killed mid-attempt), and delete
    finished deliveries older than the kept log. Run periodically by the worker."""
    now = now or timezone.now()
    requeued = 0
    overdue = list(
        WebhookDelivery.objects.filter(
            status__in=OPEN_STATUSES, next_attempt_at__lt=now - OVERDUE
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in overdue:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.select_for_update().filter(pk=pk).first()
            if delivery is None or delivery.status not in OPEN_STATUSES:
                continue
            delivery.next_attempt_at = now
            delivery.save(update_fields=["next_attempt_at", "updated_at"])
            enqueue(delivery)
            requeued += 1
    cutoff = now - timedelta(days=conf.log_days())
    old = WebhookDelivery.objects.filter(finished_at__lt=cutoff).exclude(status__in=OPEN_STATUSES)
    deleted = 0
    while True:
        batch = list(old.values_list("pk", flat=True)[:SWEEP_BATCH])
        if not batch:
            break
        deleted += WebhookDelivery.objects.filter(pk__in=batch).delete()[0]
    return {"requeued": requeued, "deleted": deleted}
