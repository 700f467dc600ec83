"""The appointment and schedule list tables."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import ServiceAppointment, ServiceSchedule


class AppointmentTable(AccordTable):
    starts_at = tables.DateTimeColumn(
        verbose_name=_("Starts"), format="SHORT_DATETIME_FORMAT", order_by=("starts_at", "id")
    )
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    organization = tables.Column(
        linkify=True, verbose_name=_("Organization"), order_by=("organization__name", "id")
    )
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "starts_at", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "starts_at", "id"))
    location = tables.Column(verbose_name=_("Place"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))
    schedule = tables.Column(verbose_name=_("Schedule"), visible=False)
    ends_at = tables.DateTimeColumn(
        verbose_name=_("Ends"), format="SHORT_DATETIME_FORMAT", visible=False
    )

    class Meta(AccordTable.Meta):
        model = ServiceAppointment
        fields = (
            "starts_at",
            "title",
            "organization",
            "kind",
            "status",
            "location",
            "owner",
            "schedule",
            "ends_at",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _(
            "No service appointments here. Plan a visit, a maintenance or a training, or set up "
            "a recurring schedule."
        )


class ScheduleTable(AccordTable):
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    organization = tables.Column(
        linkify=True, verbose_name=_("Organization"), order_by=("organization__name", "id")
    )
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "id"))
    rule = tables.Column(verbose_name=_("Rule"), orderable=False)
    starts_at = tables.DateTimeColumn(
        verbose_name=_("First start"), format="SHORT_DATETIME_FORMAT", order_by=("starts_at", "id")
    )
    is_active = tables.BooleanColumn(verbose_name=_("Active"), order_by=("is_active", "id"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = ServiceSchedule
        fields = ("title", "organization", "kind", "rule", "starts_at", "is_active", "owner")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No recurring schedules yet, e.g. a maintenance every six months.")
