"""Reads of the webhooks app: who may manage webhooks, endpoints, their deliveries, allowed hosts.

Rule: administrators and managers manage every webhook endpoint (they see every record anyway, and
an endpoint sends records out of Accord); members and viewers have no access. Allowing an internal
host is for administrators only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from accord.core import visibility

from .models import AllowedWebhookHost, WebhookDelivery, WebhookEndpoint


def can_manage_webhooks(user: Any) -> bool:
    return visibility.sees_everything(user)


def can_allow_hosts(user: Any) -> bool:
    return bool(
        visibility.is_authenticated(user)
        and (user.is_superuser or getattr(user, "role", None) == visibility.ROLE_ADMIN)
    )


def endpoint_list(user: Any) -> QuerySet[WebhookEndpoint]:
    if not can_manage_webhooks(user):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.select_related("owner")


def delivery_list(user: Any, endpoint: WebhookEndpoint | None = None) -> QuerySet[WebhookDelivery]:
    """Deliveries newest first (the payload column is left out of lists)."""
    if not can_manage_webhooks(user):
        return WebhookDelivery.objects.none()
    qs = WebhookDelivery.objects.select_related("endpoint").defer("payload")
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    return qs.order_by("-created_at", "-id")


def delivery_detail(user: Any) -> QuerySet[WebhookDelivery]:
    if not can_manage_webhooks(user):
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.select_related("endpoint", "actor")


def allowed_host_list(user: Any) -> QuerySet[AllowedWebhookHost]:
    if not can_allow_hosts(user):
        return AllowedWebhookHost.objects.none()
    return AllowedWebhookHost.objects.select_related("created_by")


def endpoint_summary(endpoint: WebhookEndpoint) -> dict[str, int]:
    """Counts for the endpoint page: deliveries by status over the kept log."""
    rows = endpoint.deliveries.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}
