"""The revenue target list: the target, and how much of it was won so far."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.table_export import EXPORT_CHUNK_SIZE
from accord.core.tables import AccordTable

from ..models import RevenueTarget
from ..selectors.targets import Attainment, attainment, source_shares


def money(value: Decimal | float | None, currency: str = "") -> str:
    """A whole amount with the locale's thousands separators ("1.250.000 EUR"); "—" for none.
    Lists, the forecast page and its tables all show amounts this way."""
    if value is None:
        return "—"
    text = intcomma(f"{Decimal(value):.0f}", use_l10n=True)
    return f"{text} {currency}".strip()


class RevenueTargetTable(AccordTable):
    period = tables.Column(
        accessor="period_label",
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("Period"),
        order_by=("period_start", "period_kind", "id"),
    )
    period_kind = tables.Column(verbose_name=_("Period kind"))
    scope = tables.Column(verbose_name=_("For"), order_by=("scope", "scope_key", "id"))
    whose = tables.Column(accessor="scope_label", verbose_name=_("Who / segment"), orderable=False)
    amount = tables.Column(verbose_name=_("Target"), order_by=("amount", "id"))
    won = tables.Column(
        verbose_name=_("Won so far"), empty_values=(), orderable=False, accessor="pk"
    )
    attainment = tables.Column(
        verbose_name=_("Attainment"), empty_values=(), orderable=False, accessor="pk"
    )
    notes = tables.Column(verbose_name=_("Notes"), visible=False)

    class Meta(AccordTable.Meta):
        model = RevenueTarget
        fields = ("period", "period_kind", "scope", "whose", "amount", "won", "attainment")
        sequence = ("period", "period_kind", "scope", "whose", "amount", "won", "attainment")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No revenue targets yet.")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        self._attained: dict[int, Attainment] | None = None
        super().__init__(*args, **kwargs)

    def attained(self, record: RevenueTarget) -> Attainment | None:
        """Attainment of the rows shown, computed once for all of them (one query)."""
        if self._attained is None:
            self._attained = attainment(self._records(), self.user)
        return self._attained.get(record.pk)

    def render_amount(self, value, record):
        return money(value, record.currency)

    def value_amount(self, value, record):
        return value

    def render_won(self, record):
        found = self.attained(record)
        text = money(found.reached if found else None, record.currency)
        shares = source_shares(found)
        if len(shares) < 2:
            return text
        parts = " · ".join(f"{money(s.amount, record.currency)} {s.label}" for s in shares)
        return format_html('<span title="{}">{}</span>', parts, text)

    def value_won(self, record):
        found = self.attained(record)
        return found.reached if found else None

    def render_attainment(self, record):
        found = self.attained(record)
        if found is None or found.percent is None:
            return "—"
        badge = "badge-success" if found.percent >= 100 else "badge-info"
        percent = formats.number_format(found.percent, 1, use_l10n=True)
        return format_html('<span class="badge {}">{} %</span>', badge, percent)

    def value_attainment(self, record):
        found = self.attained(record)
        return found.percent if found else None

    def export_rows(self, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list[Any]]:
        """Every row with its attainment; targets are few, so they are read at once."""
        queryset = self.export_queryset()
        records = list(queryset) if queryset is not None else [r.record for r in self.rows]
        self._attained = attainment(records, self.user)
        getters = [c.value for c in self.export_columns()]
        return ([get(record) for get in getters] for record in records)
