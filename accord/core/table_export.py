"""Exports of list tables: each visible column's header and plain value, and the rows streamed.

`AccordTable` inherits `ExportableTableMixin`: `export_columns()` gives each visible column's header
(in the active language) and a function record → plain value (text, number, date; never HTML), and
`export_rows()` streams the table's queryset (filter, sort and visibility already applied) with the
columns' foreign keys joined, in two queries however many rows (see `fastread`).
"""

from __future__ import annotations

import datetime as dt
import html
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData, mark_safe

from .fastread import light_records

_DATE_TYPES = (dt.date, dt.time)  # datetime is a date
_NUMBER_TYPES = (Decimal,)

EXPORT_CHUNK_SIZE = 2000
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: its header (in the active language) and record → plain value."""

    name: str
    header: str
    value: Callable[[Any], Any]


def plain_text(content: Any) -> str:
    """Text of a cell rendered as HTML: tags dropped, entities decoded, whitespace collapsed."""
    text = str(content)
    if isinstance(content, SafeData):
        text = html.unescape(strip_tags(text))
    return _SPACES.sub(" ", text).strip()


def plain_value(value: Any) -> Any:
    """What an export writes for a value: numbers, booleans, dates stay typed; aware times are
    shown in the active time zone; records and everything else become their text."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool:  # the common case, first
        return value
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return plain_text(value) if isinstance(value, SafeData) else value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, _DATE_TYPES):
        if getattr(value, "tzinfo", None) is not None:
            return timezone.localtime(value)
        return value
    if isinstance(value, _NUMBER_TYPES):
        return value
    return plain_text(value)


def accepts(fn: Callable[..., Any]) -> set[str]:
    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return {"value", "record", "column", "bound_column", "table"}
    return set(params)


def capfirst_text(value: Any) -> Any:
    """The header with its first letter capitalised, keeping HTML headers as they are."""
    if isinstance(value, SafeData):
        return value
    text = str(value)
    return text[:1].upper() + text[1:]


class ExportableTableMixin:
    """What an export reads of a table (mixed into `AccordTable`)."""

    def export_columns(self) -> list[ExportColumn]:
        """The visible columns (not the selection box, not those excluded from export), each with
        its header in the active language and a function record → plain value.

        A column's value is, in this order: the table's `value_<name>(…)`; the text of its
        `render_<name>(…)`; for a template column without a field or accessor of its own, the text
        of its template; else the value its accessor reads (a choice's label, a record's name).
        """
        out = []
        for bound_column in self.columns:
            column = bound_column.column
            if isinstance(column, tables.CheckBoxColumn) or column.exclude_from_export:
                continue
            header = plain_text(capfirst_text(bound_column.header))
            out.append(ExportColumn(bound_column.name, header, self._export_getter(bound_column)))
        return out

    def _export_getter(self, bound_column) -> Callable[[Any], Any]:
        column = bound_column.column
        name = bound_column.name
        get_value = self._value_getter(bound_column)
        context = {"column": column, "bound_column": bound_column, "table": self}

        def call(method: Callable[..., Any]) -> Callable[[Any], Any]:
            wanted = accepts(method)
            fixed = {k: v for k, v in context.items() if k in wanted}
            needs_value, needs_record = "value" in wanted, "record" in wanted

            def get(record: Any) -> Any:
                kwargs = dict(fixed)
                if needs_value:
                    kwargs["value"] = get_value(record)
                if needs_record:
                    kwargs["record"] = record
                return method(**kwargs)

            return get

        custom_value = getattr(self, f"value_{name}", None)
        if custom_value is not None:
            getter = call(custom_value)
            return lambda record: plain_value(getter(record))
        empty_values = column.empty_values
        custom_render = getattr(self, f"render_{name}", None)
        if custom_render is not None:
            render = call(custom_render)

            def rendered(record: Any) -> Any:
                if empty_values and get_value(record) in empty_values:
                    return ""  # django-tables2 shows the default instead of calling render_
                return plain_value(render(record))

            return rendered
        if isinstance(column, tables.TemplateColumn) and not self._reads_a_field(bound_column):
            return self._template_text(bound_column)

        plain_empty = set(empty_values) <= {None, ""}  # the usual: compare without __eq__

        def value(record: Any) -> Any:
            found = get_value(record)
            if plain_empty:
                if found is None or (found.__class__ is str and not found and "" in empty_values):
                    return ""
            elif found in empty_values:
                return ""
            if isinstance(found, models.Manager):
                return ", ".join(str(item) for item in found.all())
            return plain_value(found)

        return value

    def _reads_a_field(self, bound_column) -> bool:
        """Whether a template column reads a value of the record: an accessor other than its
        name (an annotation, a related field), or a model field or attribute of that name."""
        if str(bound_column.accessor) != bound_column.name:
            return True
        model = getattr(self._meta, "model", None)
        if model is None:
            return False
        try:
            model._meta.get_field(bound_column.name)
        except FieldDoesNotExist:
            return hasattr(model, bound_column.name)
        return True

    def _template_text(self, bound_column) -> Callable[[Any], str]:
        column = bound_column.column
        get_value = self._value_getter(bound_column)
        extra = column.extra_context if isinstance(column.extra_context, dict) else {}
        name = column.context_object_name
        if column.template_code:
            compiled = Template(column.template_code)

            def render(ctx: dict[str, Any]) -> str:
                return compiled.render(Context(ctx))

        else:
            template = get_template(column.template_name)

            def render(ctx: dict[str, Any]) -> str:
                return template.render(ctx)

        def value(record: Any) -> str:
            ctx = {"default": "", "column": bound_column, name: record, "value": get_value(record)}
            return plain_text(mark_safe(render({**ctx, **extra})))  # noqa: S308 - rendered HTML

        return value

    def _export_related(self) -> list[str]:
        """Foreign keys the columns read (`organization`, `owner__team` …), to join them in."""
        model = getattr(self._meta, "model", None)
        if model is None:
            return []
        paths = []
        for bound_column in self.columns:
            current, walked = model, []
            for part in str(bound_column.accessor).replace("__", ".").split("."):
                try:
                    field = current._meta.get_field(part)
                except FieldDoesNotExist:
                    break
                if not (field.is_relation and (field.many_to_one or field.one_to_one)):
                    break
                if not field.concrete:
                    break
                walked.append(part)
                current = field.related_model
            if walked:
                paths.append("__".join(walked))
        return sorted(set(paths))

    def export_queryset(self) -> Any:
        """The queryset behind the table (filtered, sorted, visible rows), with the columns'
        foreign keys joined; None when the table holds a plain list."""
        data = getattr(self.data, "data", None)
        if not isinstance(data, models.QuerySet):
            return None
        related = self._export_related()
        if related and data._iterable_class is models.query.ModelIterable:
            data = data.select_related(*related)
        return data

    def export_rows(self, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list[Any]]:
        """Every row of the table as plain values, read in chunks (two queries however many rows:
        see `fastread`). The columns are prepared now, in the active language; rows are read as
        the caller iterates."""
        getters = [c.value for c in self.export_columns()]

        def values(record: Any) -> list[Any]:
            return [get(record) for get in getters]

        queryset = self.export_queryset()
        if queryset is not None:
            return light_records(queryset, values, chunk_size=chunk_size)
        return (values(getattr(row, "record", row)) for row in self.rows)
