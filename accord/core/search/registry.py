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
    def name_columns(self) -> tuple[str, ...]:
        return tuple(self.model._meta.get_field(f).column for f in self.name_fields)


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
    newest_first: str | None = None,
    kind: str | None = None,
    icon: str = "",
    name_fields: tuple[str, ...] = (),
) -> SearchEntry:
    """Make `model` searchable; hits are ranked by relevance, or newest first by `newest_first`.

    Ranked hits whose name (`name_fields`, default: the first field) holds the words come first,
    alphabetically, then those matched in other fields. The index the app's migration creates
    must name the same name columns (`ddl.SearchIndex(..., names=...)`).

    The `fields` must match the index the app's migration created (see `search.ddl`).
    """
    if not fields:
        raise ValueError("register_search needs at least one field")
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
