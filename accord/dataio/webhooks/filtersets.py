"""Filters of the endpoint list and of the delivery log (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet

from .choices import DeliveryStatus, all_event_choices
from .models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointFilterSet(AccordFilterSet):
    search_fields = ("name", "url")
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("yes", _("Active")), ("no", _("Paused or disabled"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["is_active"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes") if value else queryset


class WebhookDeliveryFilterSet(AccordFilterSet):
    search_fields = ("event", "error")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DeliveryStatus.choices)
    event = django_filters.ChoiceFilter(label=_("Event"), choices=all_event_choices)
    endpoint = django_filters.NumberFilter(label=_("Endpoint"), field_name="endpoint_id")

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event", "endpoint"]
