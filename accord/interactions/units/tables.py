"""The unit request list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import UnitRequest


class UnitRequestTable(AccordTable):
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    requester = tables.Column(verbose_name=_("Requesting unit"), order_by=("requester__name", "id"))
    server = tables.Column(verbose_name=_("Serving unit"), order_by=("server__name", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    due_on = tables.DateColumn(
        verbose_name=_("Due on"), format="SHORT_DATE_FORMAT", order_by=("due_on", "id")
    )
    overdue = tables.Column(verbose_name=_("Overdue"), accessor="pk", orderable=False)
    requested_by = tables.Column(verbose_name=_("Requested by"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = UnitRequest
        fields = (
            "title",
            "requester",
            "server",
            "status",
            "due_on",
            "overdue",
            "requested_by",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No requests between units yet.")

    def render_overdue(self, record):
        if record.is_overdue:
            return format_html('<span class="badge badge-warning">{}</span>', _("overdue"))
        return "—"

    def value_overdue(self, record):
        return "1" if record.is_overdue else ""

    def render_requested_by(self, record):
        return record.requested_by.full_name if record.requested_by_id else "—"

    def value_requested_by(self, record):
        return record.requested_by.full_name if record.requested_by_id else ""
