"""The product list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import Product


class ProductTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name", "id"))
    sku = tables.Column(verbose_name=_("SKU"))
    list_price = tables.Column(verbose_name=_("List price"), order_by=("list_price", "id"))
    currency = tables.Column(verbose_name=_("Currency"))
    active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta(AccordTable.Meta):
        model = Product
        fields = ("name", "sku", "list_price", "currency", "active")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
