"""Choosing one or a few rows out of many: a search box (htmx) and a select of the chosen rows only.

A plain <select> lists every row of its queryset; with 10,000 organizations that is a page of a
megabyte. `AutocompleteSelect` and `AutocompleteSelectMultiple` render only the chosen option(s),
read in one query, and a search box whose typed text goes to an app's autocomplete endpoint
(`url_name`, `?kind=<kind>&field=<name>&q=<text>`), which answers with `<li role="option">` rows
(template `core/widgets/autocomplete_results.html`). `accord.js` turns a picked row into a
selected option; the form posts the select as usual, so the field's queryset (limited to visible
rows by `ServiceModelForm`) decides what is accepted.

Without JavaScript the search box does nothing; a value can still be given in advance through the
query string (the edit views prefill from it, e.g. `/people/add/?organization=<id>`), and a chosen
value is kept and can be cleared ("—").

`core` knows no domain app: the app names its endpoint (`url_name="parties:autocomplete"`) and
the kind of row (`kind="organization"`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EMPTY_LABEL = "—"
TEMPLATE = "core/widgets/autocomplete.html"


class AutocompleteMixin:
    """Shared by the single and multiple widget; see the module docstring."""

    def __init__(
        self,
        url_name: str,
        kind: str,
        *,
        search_label: Any = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)  # type: ignore[call-arg]
        self.url_name = url_name
        self.kind = kind
        self.search_label = search_label

    # -- options: only the chosen ones, in one query ------------------------------------------
    def chosen_objects(self, values: list[str]) -> list[tuple[Any, str]]:
        """(value, label) of the chosen values the field's queryset holds, in the order given."""
        wanted = [v for v in dict.fromkeys(str(v) for v in values) if v]
        choices = getattr(self, "choices", None)
        queryset = getattr(choices, "queryset", None)
        if not wanted:
            return []
        if queryset is None:  # plain choices (no model): keep the value as its own label
            labels = {str(k): str(v) for k, v in (choices or [])}
            return [(v, labels.get(v, v)) for v in wanted]
        field = choices.field  # type: ignore[union-attr]
        key = field.to_field_name or "pk"
        meta = queryset.model._meta
        if isinstance(meta.pk if key == "pk" else meta.get_field(key), models.IntegerField):
            # an id typed into the query string may be anything (SQLite overflows on a huge one)
            wanted = [v for v in wanted if v.isascii() and v.isdigit() and int(v) < 2**63]
        found = {str(getattr(o, key)): o for o in queryset.filter(**{f"{key}__in": wanted})}
        return [
            (getattr(found[v], key), field.label_from_instance(found[v]))
            for v in wanted
            if v in found
        ]

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None):
        options = []
        chosen = self.chosen_objects(value)
        if not self.allow_multiple_selected:  # type: ignore[attr-defined]
            # "—" clears a single choice (and makes `required` meaningful to the browser)
            options.append(self.create_option(name, "", EMPTY_LABEL, not chosen, 0))  # type: ignore[attr-defined]
        for pk, label in chosen:
            options.append(self.create_option(name, pk, label, True, len(options)))  # type: ignore[attr-defined]
        return [(None, options, 0)]

    def use_required_attribute(self, initial: Any) -> bool:
        # Select's version iterates the choices (the whole queryset) to find an empty first one;
        # the first option here is always "—" for a single choice.
        return not self.is_hidden  # type: ignore[attr-defined]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        ctx = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget = ctx["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        query = urlencode({"kind": self.kind, "field": name})
        widget.update(
            {
                "kind": self.kind,
                "autocomplete_url": f"{reverse(self.url_name)}?{query}",
                "search_id": f"{widget_id}_search",
                "results_id": f"{widget_id}_results",
                "search_label": self.search_label or _("Search …"),
                "multiple": self.allow_multiple_selected,  # type: ignore[attr-defined]
            }
        )
        return ctx


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    """One row out of many (a ForeignKey): the chosen option and a search box."""

    template_name = TEMPLATE


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    """Several rows out of many (a ManyToMany): the chosen options and a search box."""

    template_name = TEMPLATE
