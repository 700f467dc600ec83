"""Tables of the service-level configuration pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import CaseCategory, OrganizationServiceTier, ServiceHours, ServiceLevelPolicy


class ServiceHoursTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    team = tables.Column(verbose_name=_("Team"), default=_("Company default"))
    weekdays = tables.Column(
        verbose_name=_("Working days"), accessor="weekday_labels", orderable=False
    )
    start_time = tables.TimeColumn(verbose_name=_("Start"), format="H:i")
    end_time = tables.TimeColumn(verbose_name=_("End"), format="H:i")
    state = tables.Column(verbose_name=_("State for public holidays"), default="—")

    class Meta(AccordTable.Meta):
        model = ServiceHours
        fields = ("name", "team", "weekdays", "start_time", "end_time", "state")
        empty_text = _("No service hours: clocks run Monday to Friday, 08:00–17:00.")


class ServiceLevelPolicyTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))

    class Meta(AccordTable.Meta):
        model = ServiceLevelPolicy
        fields = (
            "name",
            "tier",
            "priority",
            "first_response_hours",
            "resolution_hours",
            "warning_percent",
            "active",
        )
        empty_text = _("No policies: cases have no service-level targets.")


class OrganizationServiceTierTable(AccordTable):
    organization = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("Organization"),
        order_by=("organization__name",),
    )

    class Meta(AccordTable.Meta):
        model = OrganizationServiceTier
        fields = ("organization", "tier", "note")
        empty_text = _("No client has a tier: every client is standard.")


class CaseCategoryTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))

    class Meta(AccordTable.Meta):
        model = CaseCategory
        fields = ("name", "order", "active")
        empty_text = _("No categories yet.")
