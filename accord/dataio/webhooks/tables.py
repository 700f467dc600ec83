"""Tables of the endpoint list and the delivery log."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from .models import WebhookDelivery, WebhookEndpoint


def status_badge(label: object, kind: str) -> str:
    return format_html('<span class="badge badge-{}">{}</span>', kind, label)


DELIVERY_BADGE = {
    "pending": "info",
    "failed": "warning",
    "succeeded": "success",
    "gave_up": "danger",
    "skipped": "muted",
}


class WebhookEndpointTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name", "id"))
    url = tables.Column(verbose_name=_("URL"))
    events = tables.Column(verbose_name=_("Events"), accessor="pk", orderable=False)
    state = tables.Column(verbose_name=_("Status"), accessor="pk", orderable=False)
    consecutive_failures = tables.Column(verbose_name=_("Failures in a row"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = WebhookEndpoint
        fields = ("name", "url", "events", "state", "consecutive_failures", "owner")
        empty_text = _("No webhook endpoints yet. Add one to send changes to another system.")

    def render_events(self, record):
        if record.all_events:
            return _("All events")
        return ", ".join(record.events or [])

    def render_state(self, record):
        if record.disabled_at:
            return status_badge(_("Disabled after failures"), "danger")
        if not record.is_active:
            return status_badge(_("Paused"), "muted")
        return status_badge(_("Active"), "success")


class WebhookDeliveryTable(AccordTable):
    created_at = tables.DateTimeColumn(
        verbose_name=_("Time"),
        format="SHORT_DATETIME_FORMAT",
        linkify=lambda record: record.get_absolute_url(),
    )
    event = tables.Column(verbose_name=_("Event"))
    record = tables.Column(verbose_name=_("Record"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    attempts = tables.Column(verbose_name=_("Attempts"))
    response_status = tables.Column(verbose_name=_("Response"))
    duration_ms = tables.Column(verbose_name=_("Duration (ms)"))
    next_attempt_at = tables.DateTimeColumn(
        verbose_name=_("Next attempt"), format="SHORT_DATETIME_FORMAT"
    )

    class Meta(AccordTable.Meta):
        model = WebhookDelivery
        fields = (
            "created_at",
            "event",
            "record",
            "status",
            "attempts",
            "response_status",
            "duration_ms",
            "next_attempt_at",
        )
        empty_text = _("No deliveries yet.")

    def render_record(self, record):
        if not record.object_type:
            return "—"
        return f"{record.object_type} #{record.object_id}"

    def render_status(self, record):
        return status_badge(record.get_status_display(), DELIVERY_BADGE.get(record.status, "info"))

    def render_next_attempt_at(self, record):
        if record.status != "failed" or record.next_attempt_at is None:
            return "—"
        from django.utils import formats, timezone

        return formats.date_format(
            timezone.localtime(record.next_attempt_at), "SHORT_DATETIME_FORMAT"
        )
