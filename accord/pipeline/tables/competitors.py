"""The competitor list table: competitor organizations with their profile and record."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable
from accord.parties.models import Organization

from ..choices import PricePosition

PRICE_LABELS = dict(PricePosition.choices)


def competitor_url(record: Organization) -> str:
    return reverse("pipeline:competitor_detail", args=[record.pk])


class CompetitorTable(AccordTable):
    name = tables.Column(
        verbose_name=_("Competitor"), linkify=competitor_url, order_by=("name", "id")
    )
    price_position = tables.Column(
        verbose_name=_("Price position"),
        order_by=("competitor_profile__price_position", "name", "id"),
    )
    products = tables.Column(verbose_name=_("Products"), orderable=False)
    open_opportunities = tables.Column(
        verbose_name=_("Open opportunities"), order_by=("open_opportunities", "id")
    )
    won_against = tables.Column(verbose_name=_("Won against"), order_by=("won_against", "id"))
    lost_against = tables.Column(verbose_name=_("Lost against"), order_by=("lost_against", "id"))
    win_rate = tables.Column(verbose_name=_("Win rate"), order_by=("win_rate", "id"))
    accounts_present = tables.Column(
        verbose_name=_("At accounts"), order_by=("accounts_present", "id")
    )
    country = tables.Column(verbose_name=_("Country"), visible=False)
    owner = tables.Column(verbose_name=_("Owner"), visible=False, orderable=False)

    class Meta(AccordTable.Meta):
        model = Organization
        fields = (
            "name",
            "price_position",
            "products",
            "open_opportunities",
            "won_against",
            "lost_against",
            "win_rate",
            "accounts_present",
            "country",
            "owner",
        )
        sequence = fields
        row_attrs = {"data-href": competitor_url}
        empty_text = _("No competitors yet: give an organization the competitor role.")

    def render_price_position(self, value):
        return PRICE_LABELS.get(value, "—")

    def value_price_position(self, value):
        return str(PRICE_LABELS.get(value, ""))

    def render_products(self, value):
        text = " ".join(str(value).split())
        return text if len(text) <= 80 else f"{text[:79]}…"

    def value_products(self, value):
        return value or ""

    def render_win_rate(self, value):
        return f"{value:.0f} %"

    def value_win_rate(self, value):
        return round(value, 1) if value is not None else ""
