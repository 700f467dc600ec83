"""Table base: a select column for bulk actions, links to the record, and a fast body renderer.

django-tables2 declares the columns, headers and sorting. Its per-cell rendering (signature
inspection and a template per cell) costs about half a millisecond a cell — 300 ms for a page of
100 rows — so `AccordTable.render_body()` renders the rows itself for the column kinds Accord uses
(plain, linked, `render_<name>` methods, dates, emails, the select box), with the same output, and
falls back to django-tables2 for any other column kind.

Exports read the same declaration (`table_export.ExportableTableMixin`): each visible column's header
and plain value, the rows streamed in two queries however many there are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .table_export import ExportableTableMixin
from .table_export import accepts as _accepts

CellRenderer = Callable[[Any], str]


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

    def render(self, value, bound_column=None, record=None):
        return format_html(
            '<input type="checkbox" name="pk" value="{}" aria-label="{}">',
            value,
            _("Select %(obj)s") % {"obj": record},
        )


class AccordTable(ExportableTableMixin, tables.Table):
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

    # --- fast body ---------------------------------------------------------------------------
    def _records(self) -> list[Any]:
        rows = self.page.object_list if hasattr(self, "page") else self.rows
        return [getattr(row, "record", row) for row in rows]

    def _value_getter(self, bound_column) -> Callable[[Any], Any]:
        """Reads the cell value; a choice field gives its label, as django-tables2 does."""
        path = str(bound_column.accessor).replace("__", ".").split(".")
        model = getattr(self._meta, "model", None)
        if len(path) == 1 and model is not None:
            try:
                field = model._meta.get_field(path[0])
            except Exception:  # noqa: BLE001 - not a model field (a property, an annotation)
                field = None
            if field is not None and getattr(field, "choices", None):
                name = field.attname
                labels = {key: str(label) for key, label in field.flatchoices}
                return lambda record: labels.get(getattr(record, name), getattr(record, name))

        if len(path) == 1:  # most columns: one attribute (exports call this per cell)
            attribute = path[0]

            def get_one(record: Any) -> Any:
                if record is None:
                    return None
                value = getattr(record, attribute, None)
                if callable(value) and not getattr(value, "alters_data", False):
                    value = value()
                return value

            return get_one

        def get(record: Any) -> Any:
            value = record
            for part in path:
                if value is None:
                    return None
                value = getattr(value, part, None)
                if callable(value) and not getattr(value, "alters_data", False):
                    value = value()
            return value

        return get

    def _fast_renderer(self, bound_column) -> CellRenderer | None:
        """A function record → cell HTML, or None where django-tables2 must render the cell."""
        column = bound_column.column
        name = bound_column.name
        get_value = self._value_getter(bound_column)
        empty_values = column.empty_values
        default = bound_column.default
        custom = getattr(self, f"render_{name}", None)

        if custom is not None:
            wanted = _accepts(custom)

            def render_value(value: Any, record: Any) -> str:
                kwargs = {"value": value, "record": record, "column": column}
                kwargs.update({"bound_column": bound_column, "table": self})
                return custom(**{k: v for k, v in kwargs.items() if k in wanted})

        elif isinstance(column, SelectColumn):

            def render_value(value: Any, record: Any) -> str:
                return column.render(value, bound_column, record)

        elif isinstance(column, tables.DateTimeColumn | tables.DateColumn):
            is_datetime = isinstance(column, tables.DateTimeColumn)
            found = re.search(r'date:"([^"]+)"', getattr(column, "template_code", "") or "")
            fmt = found.group(1) if found else "SHORT_DATE_FORMAT"

            def render_value(value: Any, record: Any) -> str:
                if value in (None, ""):
                    return conditional_escape(default)
                if is_datetime and timezone.is_aware(value):
                    value = timezone.localtime(value)
                return formats.date_format(value, fmt)

        elif isinstance(column, tables.EmailColumn):

            def render_value(value: Any, record: Any) -> str:
                return format_html('<a href="mailto:{}">{}</a>', value, value)

        elif type(column) is tables.Column:

            def render_value(value: Any, record: Any) -> str:
                return conditional_escape(value)

        else:
            return None

        link = None if isinstance(column, tables.EmailColumn) else getattr(column, "link", None)
        link_url = link.url if link is not None and callable(link.url) else None
        link_wanted = _accepts(link_url) if link_url is not None else set()

        def render(record: Any) -> str:
            value = get_value(record)
            if value in empty_values:
                return conditional_escape(default)
            html = render_value(value, record)
            if link_url is not None:
                kwargs = {"record": record, "value": value, "bound_column": bound_column}
                url = link_url(**{k: v for k, v in kwargs.items() if k in link_wanted})
                html = format_html('<a href="{}">{}</a>', url, html)
            elif link is not None:
                url = link.compose_url(record=record, bound_column=bound_column, value=value)
                html = format_html('<a href="{}">{}</a>', url, html)
            return html

        return render

    def _row_attrs(self) -> Callable[[Any], str]:
        attrs = dict(getattr(self._meta, "row_attrs", None) or {})
        if not attrs:
            return lambda record: ""
        compiled = []
        for key, value in attrs.items():
            if callable(value):
                wanted = _accepts(value)
                compiled.append((key, value, wanted))
            else:
                compiled.append((key, value, None))

        def render(record: Any) -> str:
            parts = []
            for key, value, wanted in compiled:
                if wanted is not None:
                    kwargs = {"record": record, "table": self}
                    value = value(**{k: v for k, v in kwargs.items() if k in wanted})
                parts.append(format_html(' {}="{}"', key, value))
            return "".join(parts)

        return render

    def render_body(self) -> SafeString:
        """The <tbody> rows as one string (the table template prints it)."""
        columns = list(self.columns)
        renderers = [self._fast_renderer(bc) for bc in columns]
        td_attrs = [bc.attrs.get("td").as_html() if bc.attrs.get("td") else "" for bc in columns]
        row_attrs = self._row_attrs()
        out: list[str] = []
        fallback_rows = None
        for index, record in enumerate(self._records()):
            cells = []
            for i, (bc, render) in enumerate(zip(columns, renderers, strict=True)):
                if render is None:
                    if fallback_rows is None:
                        fallback_rows = list(
                            self.page.object_list if hasattr(self, "page") else self.rows
                        )
                    html = fallback_rows[index].get_cell(bc.name)
                else:
                    html = render(record)
                cells.append(f"<td {td_attrs[i]}>{html}</td>")
            out.append(f"<tr{row_attrs(record)}>{''.join(cells)}</tr>")
        if not out and self.empty_text:
            out.append(
                format_html(
                    '<tr><td colspan="{}" class="empty-state">{}</td></tr>',
                    len(columns),
                    self.empty_text,
                )
            )
        return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped or format_html
