"""The opportunity list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import Opportunity


class OpportunityTable(AccordTable):
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    organization = tables.Column(
        verbose_name=_("Organization"), order_by=("organization__name", "id")
    )
    stage = tables.Column(verbose_name=_("Stage"), order_by=("stage__order", "id"))
    amount = tables.Column(verbose_name=_("Amount"), order_by=("amount", "id"))
    probability = tables.Column(verbose_name=_("Probability"), order_by=("probability", "id"))
    expected_close_date = tables.DateColumn(
        verbose_name=_("Expected close"),
        format="SHORT_DATE_FORMAT",
        order_by=("expected_close_date", "id"),
    )
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))
    next_step = tables.Column(verbose_name=_("Next step"), visible=False)

    class Meta(AccordTable.Meta):
        model = Opportunity
        fields = (
            "title",
            "organization",
            "stage",
            "amount",
            "probability",
            "expected_close_date",
            "owner",
            "next_step",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}

    def render_amount(self, value, record):
        return f"{value} {record.currency}"

    def value_amount(self, value, record):
        return value

    def render_probability(self, value):
        return f"{value} %"
