"""The market signal list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import MarketSignal


class MarketSignalTable(AccordTable):
    observed_on = tables.DateColumn(
        verbose_name=_("Observed on"), format="SHORT_DATE_FORMAT", order_by=("observed_on", "id")
    )
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    topic = tables.Column(verbose_name=_("Topic"), order_by=("topic", "id"))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "id"))
    direction = tables.Column(verbose_name=_("Direction"), order_by=("direction", "id"))
    industry = tables.Column(verbose_name=_("Industry"), order_by=("industry", "id"))
    organizations = tables.Column(verbose_name=_("Organizations"), accessor="pk", orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = MarketSignal
        fields = (
            "observed_on",
            "title",
            "topic",
            "kind",
            "direction",
            "industry",
            "organizations",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No market signals yet. Record what you hear from clients and the market.")

    @staticmethod
    def _organizations(record: MarketSignal) -> list:
        # prefetched by the selector: only the organizations the user may see
        found = getattr(record, "visible_organizations", None)
        return list(found) if found is not None else []

    def render_organizations(self, record):
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((org.get_absolute_url(), org.name) for org in self._organizations(record)),
            )
            or "—"
        )

    def value_organizations(self, record):
        return ", ".join(org.name for org in self._organizations(record))
