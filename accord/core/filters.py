"""Filterset base: a free-text `q` over the fields a model names in `search_fields`."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class AccordFilterSet(django_filters.FilterSet):
    """Every list filters by `q` (search) plus its own fields; the same class serves pages and API."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_accord_fast_widgets", False):
            speed_up_widgets(form)
            form._accord_fast_widgets = True
        return form

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value or not self.search_fields:
            return queryset
        terms = value.split()[:5]
        for term in terms:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields))
            )
        return queryset


class FastSelect(forms.Select):
    """A <select> rendered in Python: the same markup as Django's, without a template per option
    (a country filter has 250 options; the template way costs tens of milliseconds a page)."""

    def _options(self, selected: set[str]) -> str:
        parts: list[str] = []

        def option(value: Any, label: Any) -> str:
            value = "" if value is None else str(getattr(value, "value", value))
            return format_html(
                '<option value="{}"{}>{}</option>',
                value,
                mark_safe(" selected") if value in selected else "",  # noqa: S308 - constant
                label,
            )

        for value, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(v, lbl) for v, lbl in label)
                group = mark_safe(inner)  # noqa: S308 - built from format_html pieces
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, group))
            else:
                parts.append(option(value, label))
        return "".join(parts)

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        return format_html(
            "<select{}>{}</select>",
            flatatt(final),
            mark_safe(self._options(selected)),  # noqa: S308
        )


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True


_FAST = {forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple}


def speed_up_widgets(form: forms.BaseForm) -> forms.BaseForm:
    """Swap plain select widgets of a form for the Python-rendered ones (same markup)."""
    for field in form.fields.values():
        fast = _FAST.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast
    return form
