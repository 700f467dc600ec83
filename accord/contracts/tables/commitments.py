"""The commitments ledger table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models.commitments import Commitment


class CommitmentTable(AccordTable):
    due_date = tables.DateColumn(
        verbose_name=_("Due"), format="SHORT_DATE_FORMAT", order_by=("due_date", "id")
    )
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    side = tables.Column(verbose_name=_("Side"), order_by=("side", "id"))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    organization = tables.Column(
        verbose_name=_("Organization"), linkify=True, order_by=("organization__name", "id")
    )
    person = tables.Column(verbose_name=_("Person"), order_by=("person__last_name", "id"))
    contract = tables.Column(
        verbose_name=_("Contract"), linkify=True, order_by=("contract__title", "id")
    )
    source = tables.Column(verbose_name=_("Source"), order_by=("source", "id"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Commitment
        fields = (
            "due_date",
            "title",
            "side",
            "kind",
            "status",
            "organization",
            "person",
            "contract",
            "source",
            "owner",
        )
        row_attrs = {
            "data-href": lambda record: record.get_absolute_url(),
            "class": lambda record: "overdue" if record.is_overdue else "",
        }
        empty_text = _("No commitments yet. Record what was promised, by us and to us.")

    def render_status(self, record):
        label = record.get_status_display()
        if record.is_overdue:
            return format_html(
                '{} <span class="badge badge-warning">{}</span>', label, _("overdue")
            )
        return label

    def value_status(self, record):
        return record.get_status_display() + (" (overdue)" if record.is_overdue else "")

    def render_person(self, record):
        if record.person is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', record.person.get_absolute_url(), record.person.full_name
        )

    def value_person(self, record):
        return record.person.full_name if record.person else ""
