"""Table base: a select column for bulk actions, links to the record, no counting of whole tables."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class SelectColumn(tables.CheckBoxColumn):
    """The bulk-selection checkbox, labelled for screen readers."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("accessor", "pk")
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    @property
    def header(self):
        return format_html(
            '<input type="checkbox" data-select-all aria-label="{}">',
            _("Select all rows on this page"),
        )

    def render(self, value, bound_column, record):
        return format_html(
            '<input type="checkbox" name="pk" value="{}" aria-label="{}">',
            value,
            _("Select %(obj)s") % {"obj": record},
        )


class AccordTable(tables.Table):
    """Base for every list table; `bulk=True` adds the selection column."""

    def __init__(self, *args: Any, bulk: bool = False, **kwargs: Any) -> None:
        extra = list(kwargs.pop("extra_columns", []) or [])
        if bulk:
            extra.insert(0, ("select", SelectColumn()))
        super().__init__(*args, extra_columns=extra, **kwargs)
        if bulk:
            order = ["select", *[c for c in self.sequence if c != "select"]]
            self.sequence = order

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("Nothing here yet.")
