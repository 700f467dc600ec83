"""Which models global search covers: each domain app registers its models in `<app>/search.py`.

`core` imports no domain app, so the apps describe themselves here (fields to index, how a hit is
shown, where it links) and `CoreConfig.ready()` discovers their `search` modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class SearchEntry:
    """One searchable model and how its hits are shown."""

    model: type[models.Model]
    kind: str
    fields: tuple[str, ...]
    title: Callable[[Any], str]
    subtitle: Callable[[Any], str] | None
    kind_label: Any
    url: Callable[[Any], str]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    newest_first: str | None = None
    icon: str = ""
    name_fields: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model._meta.get_field(f).column for f in self.fields)

    @property
    def column_weights(self) -> tuple[float, ...]:
        """bm25 weight per column: the given weights, else the first field counts double."""
        if self.weights:
            return self.weights
        return tuple(2.0 if i == 0 else 1.0 for i in range(len(self.fields)))


_REGISTRY: dict[str, SearchEntry] = {}


def register_search(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    title: Callable[[Any], str],
    subtitle: Callable[[Any], str] | None = None,
    kind_label: Any = None,
    url: Callable[[Any], str] | None = None,
    select_related: tuple[str, ...] = (),
    prefetch_related: tuple[str, ...] = (),
    weights: tuple[float, ...] = (),
    newest_first: str | None = None,
    kind: str | None = None,
    icon: str = "",
    name_fields: tuple[str, ...] = (),
) -> SearchEntry:
    """Make `model` searchable; hits are ranked by relevance, or newest first by `newest_first`.

    Ranked hits whose name (`name_fields`, default: the first field) holds the words come first,
    alphabetically; the full-text rank (bm25 with `weights`) picks the candidates.

    The `fields` must match the index the app's migration created (see `search.ddl`).
    """
    if not fields:
        raise ValueError("register_search needs at least one field")
    if weights and len(weights) != len(fields):
        raise ValueError("register_search: one weight per field")
    for name in fields:
        model._meta.get_field(name)  # fails early on a typo
    entry = SearchEntry(
        model=model,
        kind=kind or model._meta.model_name,
        fields=tuple(fields),
        title=title,
        subtitle=subtitle,
        kind_label=kind_label if kind_label is not None else model._meta.verbose_name_plural,
        url=url or (lambda obj: obj.get_absolute_url()),
        select_related=tuple(select_related),
        prefetch_related=tuple(prefetch_related),
        weights=tuple(weights),
        newest_first=newest_first,
        icon=icon,
        name_fields=tuple(name_fields) or tuple(fields[:1]),
    )
    _REGISTRY[entry.kind] = entry
    return entry


def entries() -> list[SearchEntry]:
    """The registered models, in registration order (the order groups are shown in)."""
    return list(_REGISTRY.values())


def get_entry(kind: str) -> SearchEntry | None:
    return _REGISTRY.get(kind)


def entry_for_model(model: type[models.Model]) -> SearchEntry:
    for entry in _REGISTRY.values():
        if entry.model is model:
            return entry
    raise LookupError(f"{model.__name__} is not registered for search")
