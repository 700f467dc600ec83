"""The contract list table; key dates are computed per row (no query)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models.contracts import Contract
from ..selectors.contracts import contract_key_dates


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


class ContractTable(AccordTable):
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    number = tables.Column(verbose_name=_("Number"), order_by=("number", "id"))
    counterparty = tables.Column(
        verbose_name=_("Counterparty"), linkify=True, order_by=("counterparty_name", "id")
    )
    side = tables.Column(verbose_name=_("Side"), order_by=("side", "id"))
    contract_type = tables.Column(verbose_name=_("Type"), order_by=("contract_type", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    value = tables.Column(verbose_name=_("Value"), order_by=("value", "id"))
    currency = tables.Column(verbose_name=_("Currency"), order_by=("currency", "id"))
    start_date = tables.DateColumn(
        verbose_name=_("Start"), format="SHORT_DATE_FORMAT", order_by=("start_date", "id")
    )
    end_date = tables.DateColumn(
        verbose_name=_("End"), format="SHORT_DATE_FORMAT", order_by=("end_date", "id")
    )
    notice_deadline = tables.Column(
        verbose_name=_("Notice deadline"), accessor="pk", orderable=False
    )
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Contract
        fields = (
            "title",
            "number",
            "counterparty",
            "side",
            "contract_type",
            "status",
            "value",
            "currency",
            "start_date",
            "end_date",
            "notice_deadline",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No contracts yet. Record the agreements with your clients and suppliers.")

    @staticmethod
    def _deadline(record: Contract):
        return contract_key_dates(record).notice_deadline

    def render_notice_deadline(self, record):
        deadline = self._deadline(record)
        if deadline is None:
            return "—"
        return format_html('<time datetime="{}">{}</time>', deadline.isoformat(), _date(deadline))

    def value_notice_deadline(self, record):
        deadline = self._deadline(record)
        return deadline.isoformat() if deadline else ""
