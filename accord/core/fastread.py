"""Read many rows as light model instances holding only the fields a computation reads.

An export of 50,000 people spends most of its time making model instances: Django builds each
person, its organization and its owner field by field, with a converter per date, for every column
of three tables — about 2 s, where the values alone are read in 0.2 s. `light_records()` first
runs the computation (the export's column values) on a sample of real instances and records which
fields it reads, on the record and on the related records it reaches through `select_related`
(tracing: each field is missing from the traced instance, so Django's deferred-field loading asks
the instance for it, and the instance answers from the real one and notes the name). It then reads
those fields only, with `values_list`, and makes each row's instances directly (`__new__` and
their `__dict__`).

What the sample did not read stays a deferred field: reading it loads it with a query, as Django
does for `.only()` — a value is never wrong, only slower in a branch the sample did not take. Short
text fields are read anyway, so that such branches (a user without a name shown by their email)
rarely need one. When the computation makes queries of its own on the sample (a many-to-many list,
a reverse relation), or the queryset prefetches, the plain instances are used instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models
from django.db.models.base import ModelState

SAMPLE_SIZE = 100
RELATED_CACHE_SIZE = 20_000
Compute = Callable[[Any], Any]


class _NotTraceable(Exception):  # noqa: N818 - a signal, not an error shown to anyone
    """The computation does something the light instances cannot answer for."""


class _Trace:
    """Which attributes the computation read, per path ("" the record, "owner", "owner__team")."""

    def __init__(self) -> None:
        self.read: dict[str, set[str]] = {}

    def note(self, path: str, attname: str) -> None:
        self.read.setdefault(path, set()).add(attname)


def _state(db: str | None) -> ModelState:
    state = ModelState()
    state.adding = False
    state.db = db
    return state


def _field_attnames(model: type[models.Model]) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields}


def _traced(real: models.Model, path: str, tree: dict[str, Any], trace: _Trace) -> models.Model:
    """An instance of the real one's model with no field set: every field read goes through
    `refresh_from_db(fields=[…])`, which copies the real value and notes its name."""
    model = type(real)
    obj = model.__new__(model)
    obj._state = _state(real._state.db)
    attnames = _field_attnames(model)
    # Django reads the primary key before loading a deferred field: it must be there already.
    obj.__dict__[model._meta.pk.attname] = real.pk
    for key, value in real.__dict__.items():  # annotations are plain attributes: keep them
        if not key.startswith("_") and key not in attnames:
            obj.__dict__[key] = value

    def refresh_from_db(using: Any = None, fields: Any = None, from_queryset: Any = None) -> None:
        if not fields:
            raise _NotTraceable("a whole record was reloaded")
        for attname in fields:
            trace.note(path, attname)
            obj.__dict__[attname] = getattr(real, attname)

    obj.__dict__["refresh_from_db"] = refresh_from_db
    for name, subtree in tree.items():
        related = real._state.fields_cache.get(name)
        sub_path = f"{path}__{name}" if path else name
        obj._state.fields_cache[name] = (
            None if related is None else _traced(related, sub_path, subtree, trace)
        )
    return obj


@contextmanager
def _no_queries(alias: str) -> Iterator[None]:
    """Fail the trace when the computation queries the database by itself."""

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise _NotTraceable("the computation made a query")

    with connections[alias].execute_wrapper(refuse):
        yield


def _select_related_tree(queryset: models.QuerySet) -> dict[str, Any] | None:
    related = queryset.query.select_related
    if related is True:
        return None  # "every foreign key": no tree to follow
    return related or {}


class _Layout:
    """Where each instance's fields sit in a `values_list` row, and how to rebuild them."""

    def __init__(self, model: type[models.Model], db: str) -> None:
        self.model = model
        self.db = db
        self.names: list[str] = []  # attnames (and annotations) set on the instance
        self.start = 0
        self.pk_index = 0
        self.children: list[tuple[str, _Layout]] = []

    def make(self, row: tuple[Any, ...], cache: dict[Any, models.Model]) -> models.Model:
        obj = self.model.__new__(self.model)
        values = row[self.start : self.start + len(self.names)]
        obj.__dict__.update(zip(self.names, values, strict=True))
        obj._state = _state(self.db)
        for name, child in self.children:
            obj._state.fields_cache[name] = child.related(row, cache)
        return obj

    def related(self, row: tuple[Any, ...], cache: dict[Any, models.Model]) -> models.Model | None:
        """A related record: made once per primary key and shared by the rows that name it."""
        pk = row[self.pk_index]
        if pk is None:
            return None
        key = (self.model, pk)
        obj = cache.get(key)
        if obj is None:
            if len(cache) >= RELATED_CACHE_SIZE:
                cache.clear()
            obj = cache[key] = self.make(row, cache)
        return obj


def _wanted_fields(model: type[models.Model], read: set[str]) -> list[models.Field]:
    """The fields read by the sample, the primary key, and every short text field (never a
    password hash)."""
    fields = []
    for f in model._meta.concrete_fields:
        short_text = isinstance(f, models.CharField) and not f.is_relation
        if f.primary_key or f.attname in read or (short_text and f.name != "password"):
            fields.append(f)
    return fields


def _plan(
    queryset: models.QuerySet, tree: dict[str, Any], trace: _Trace
) -> tuple[list[str], _Layout]:
    """The `values_list` paths and the layout that turns each row back into instances."""
    paths: list[str] = []
    db = queryset.db

    def layout_for(model: type[models.Model], path: str, subtree: dict[str, Any]) -> _Layout:
        layout = _Layout(model, db)
        layout.start = len(paths)
        prefix = f"{path}__" if path else ""
        fields = _wanted_fields(model, trace.read.get(path, set()))
        for name in subtree:  # the foreign keys followed: their ids too
            fk = model._meta.get_field(name)
            if fk not in fields:
                fields.append(fk)  # type: ignore[arg-type]
        for f in fields:
            if f.primary_key:
                layout.pk_index = len(paths)
            paths.append(prefix + f.attname)
            layout.names.append(f.attname)
        if not path:
            for annotation in queryset.query.annotation_select:
                paths.append(annotation)
                layout.names.append(annotation)
        for name, deeper in subtree.items():
            related_model: Any = model._meta.get_field(name).related_model
            layout.children.append((name, layout_for(related_model, prefix + name, deeper)))
        return layout

    root = layout_for(queryset.model, "", tree)
    return paths, root


def light_records(
    queryset: models.QuerySet, compute: Compute, chunk_size: int = 2000
) -> Iterator[Any]:
    """`compute(record)` for every row of `queryset`, in its order, in two queries whatever the
    number of rows: a sample to trace, then the rows (see the module docstring)."""
    sample = list(queryset[:SAMPLE_SIZE])
    tree = _select_related_tree(queryset)
    plan = None
    query = queryset.query
    traceable = (
        sample
        and not getattr(queryset, "_prefetch_related_lookups", ())
        and not query.extra_select
        and not query.deferred_loading[0]
    )
    if traceable and tree is not None:
        trace = _Trace()
        try:
            with _no_queries(queryset.db):
                for real in sample:
                    compute(_traced(real, "", tree, trace))
            plan = _plan(queryset, tree, trace)
        except Exception:  # noqa: BLE001 - anything odd: the plain instances answer
            plan = None
    if plan is None:
        for record in queryset.iterator(chunk_size=chunk_size):
            yield compute(record)
        return
    paths, root = plan
    cache: dict[Any, models.Model] = {}
    for row in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
        yield compute(root.make(row, cache))
