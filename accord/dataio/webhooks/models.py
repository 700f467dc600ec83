"""Outbound webhooks: endpoints that receive signed record changes, their deliveries, and the hosts
an administrator allows although they resolve to private addresses."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import TEST_EVENT, DeliveryStatus


class WebhookEndpoint(models.Model):
    """A URL that receives the changes of the main records, signed with its secret.

    The payloads carry only what the `owner` may see. After repeated failed deliveries the endpoint
    is disabled (`disabled_at`, `disabled_reason`) until someone re-enables it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        help_text=_("The payloads contain only records this user may see."),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.CharField(
        _("URL"),
        max_length=2000,
        help_text=_("Where Accord sends the events (http or https; a public address)."),
    )
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    all_events = models.BooleanField(
        _("all events"), default=True, help_text=_("Also events added in later versions.")
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failed attempts in a row"), default=0, editable=False
    )
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, editable=False)
    secret_rotated_at = models.DateTimeField(_("secret changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["secret", "consecutive_failures", "failing_since", "updated_at"]
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active"], name="webhooks_endpoint_active")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("webhooks:webhookendpoint_detail", args=[self.pk])

    def wants(self, event: str) -> bool:
        return event == TEST_EVENT or self.all_events or event in (self.events or [])


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with the outcome of its last attempt.

    `payload` is built at the first attempt (so it shows the record as the whole transaction left
    it) and kept for the retries; a deletion's payload is taken before the row is gone.
    """

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=50)
    object_type = models.CharField(_("record type"), max_length=30, blank=True)
    object_id = models.BigIntegerField(_("record id"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_test = models.BooleanField(_("test event"), default=False)
    payload = models.JSONField(_("payload"), null=True, blank=True)
    prepared_at = models.DateTimeField(_("payload built"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response (excerpt)"), blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhooks_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
            models.Index(
                fields=["endpoint", "object_type", "object_id"], name="webhooks_delivery_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.uuid})"

    def get_absolute_url(self) -> str:
        return reverse("webhooks:delivery_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class AllowedWebhookHost(models.Model):
    """A host an administrator allows as a webhook target although it is (or resolves to) a
    loopback, private, link-local or otherwise internal address — an intranet receiver, say."""

    host = models.CharField(
        _("host"),
        max_length=253,
        unique=True,
        help_text=_(
            "A host name or IP address exactly as it appears in the URL, e.g. hooks.intranet."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allowed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowed webhook host")
        verbose_name_plural = _("allowed webhook hosts")
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host
