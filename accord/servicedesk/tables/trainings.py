"""The training list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import Training


class TrainingTable(AccordTable):
    starts_at = tables.DateTimeColumn(
        accessor="appointment__starts_at",
        verbose_name=_("Starts"),
        format="SHORT_DATETIME_FORMAT",
        order_by=("appointment__starts_at", "id"),
    )
    topic = tables.Column(linkify=True, verbose_name=_("Topic"), order_by=("topic", "id"))
    title = tables.Column(
        accessor="appointment__title",
        verbose_name=_("Title"),
        order_by=("appointment__title", "id"),
    )
    organization = tables.Column(
        accessor="appointment__organization",
        verbose_name=_("Organization"),
        order_by=("appointment__organization__name", "id"),
    )
    status = tables.Column(
        accessor="appointment__status",
        verbose_name=_("Status"),
        order_by=("appointment__status", "id"),
    )
    seats = tables.Column(verbose_name=_("Seats taken"), order_by=("seats", "id"))
    capacity = tables.Column(verbose_name=_("Capacity"), order_by=("capacity", "id"))
    waiting = tables.Column(verbose_name=_("Waitlist"), order_by=("waiting", "id"))
    registration_deadline = tables.DateColumn(
        verbose_name=_("Registration deadline"), format="SHORT_DATE_FORMAT", visible=False
    )

    class Meta(AccordTable.Meta):
        model = Training
        fields = (
            "starts_at",
            "topic",
            "title",
            "organization",
            "status",
            "seats",
            "capacity",
            "waiting",
            "registration_deadline",
        )
        sequence = fields
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No trainings yet. Plan an appointment of kind training.")

    def render_status(self, record):
        return record.appointment.get_status_display()

    def value_status(self, record):
        return record.appointment.get_status_display()
