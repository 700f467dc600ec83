"""The purchase order list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import PurchaseOrder


class PurchaseOrderTable(AccordTable):
    number = tables.Column(linkify=True, verbose_name=_("Number"), order_by=("number", "id"))
    ordered_on = tables.DateColumn(
        verbose_name=_("Ordered on"), format="SHORT_DATE_FORMAT", order_by=("ordered_on", "id")
    )
    supplier = tables.Column(verbose_name=_("Supplier"), order_by=("supplier__name", "id"))
    business_unit = tables.Column(
        verbose_name=_("Business unit"), order_by=("business_unit__name", "id")
    )
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    total = tables.Column(
        verbose_name=_("Total"), order_by=("total", "id"), attrs={"td": {"class": "num"}}
    )
    currency = tables.Column(verbose_name=_("Currency"), order_by=("currency", "id"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = PurchaseOrder
        fields = (
            "number",
            "ordered_on",
            "supplier",
            "business_unit",
            "status",
            "total",
            "currency",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No purchase orders yet. Add one, or import them from your ERP system.")

    def render_supplier(self, record):
        return format_html(
            '<a href="{}">{}</a>', record.supplier.get_absolute_url(), record.supplier.name
        )

    def value_supplier(self, record):
        return record.supplier.name

    def render_total(self, record):
        return formats.number_format(record.total, 2, use_l10n=True, force_grouping=True)

    def value_total(self, record):
        return record.total
