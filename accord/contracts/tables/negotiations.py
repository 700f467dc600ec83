"""The negotiation list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import Negotiation


class NegotiationTable(AccordTable):
    started_on = tables.DateColumn(
        verbose_name=_("Started on"), format="SHORT_DATE_FORMAT", order_by=("started_on", "id")
    )
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    counterparty = tables.Column(
        verbose_name=_("Counterparty"),
        linkify=lambda record: record.counterparty.get_absolute_url(),
        order_by=("counterparty__name", "id"),
    )
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    round_count = tables.Column(verbose_name=_("Rounds"), order_by=("round_count", "id"))
    target_value = tables.Column(verbose_name=_("Target"), order_by=("target_value", "id"))
    closed_on = tables.DateColumn(
        verbose_name=_("Closed on"), format="SHORT_DATE_FORMAT", order_by=("closed_on", "id")
    )
    owner = tables.Column(verbose_name=_("Negotiator"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Negotiation
        fields = (
            "started_on",
            "title",
            "counterparty",
            "kind",
            "status",
            "round_count",
            "target_value",
            "closed_on",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No negotiations yet. Record one with its goal, then add its rounds.")

    def render_target_value(self, record, value):
        return f"{value} {record.currency}"

    def value_target_value(self, record, value):
        return "" if value is None else str(value)
