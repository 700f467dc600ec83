"""Fast inserts for the generator.

Django's `bulk_create` prepares every value through the field machinery and, on SQLite, may bind
only 999 parameters per statement; at a million interactions that dominates the load time. Here
ids are assigned up front (the generator writes alone), values are converted once per field type
and rows go in with `executemany` (SQLite) or `COPY` (PostgreSQL). History rows ("created") are
written the same way, with the record's own creation time and owner. `reset_sequences()` afterwards
lets PostgreSQL continue after the highest id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

SIMPLE_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.EmailField,
    models.URLField,
    models.ForeignKey,
)


def _sqlite_datetime(value: datetime | None) -> Any:
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_date(value: date | None) -> Any:
    return None if value is None else value.isoformat()


def datetime_adapter() -> Callable[[Any], Any]:
    """How the backend stores a datetime: naive UTC text on SQLite (as Django writes it), the
    aware value on PostgreSQL."""
    return _sqlite_datetime if connection.vendor == "sqlite" else _identity


def _text(value: Any) -> Any:
    return value if value is None or type(value) is str else str(value)


def _identity(value: Any) -> Any:
    return value


def converter(field: models.Field) -> Callable[[Any], Any]:
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else _identity
    if isinstance(field, models.DateField):
        return _sqlite_date if sqlite else _identity
    if type(field) in (models.CharField, models.TextField, models.EmailField, models.URLField):
        return _text
    if type(field) in SIMPLE_FIELDS:
        return _identity
    return lambda value: field.get_db_prep_save(value, connection)  # CountryField and others


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """`executemany` on SQLite; `COPY … FROM STDIN` on PostgreSQL (several times faster)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - from meta
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    """Rows for a link table given by field names (no signals, no history, no ids returned)."""
    names = [model._meta.get_field(c).column for c in columns]  # type: ignore[union-attr]
    _insert(model._meta.db_table, names, rows)


@contextmanager
def search_index_deferred(model_classes: Iterable[type[models.Model]]) -> Iterator[None]:
    """On SQLite, fill the full-text indexes once at the end instead of row by row.

    The FTS5 triggers of `core.search` cost more than the insert itself; they are dropped for the
    load, then recreated with the index filled from the tables (as `SearchIndex.sqlite_repair`
    does), also when the load fails halfway. PostgreSQL's expression indexes need nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    from accord.core.search.ddl import SearchIndex, qn

    indexes = []
    with connection.cursor() as cursor:
        for model in model_classes:
            table = model._meta.db_table
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [f"{table}_fts"]
            )
            if not cursor.fetchone():
                continue
            cursor.execute(f"SELECT * FROM {qn(table + '_fts')} WHERE 0")  # noqa: S608
            index = SearchIndex(table, tuple(d[0] for d in cursor.description))
            for name in sorted(index.sqlite_trigger_names()):
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(name)}")
            indexes.append(index)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for index in indexes:
                for sql in (
                    *index.sqlite_drop(),
                    index.sqlite_create_table(),
                    *index.sqlite_triggers(),
                    *index.sqlite_fill(),
                ):
                    cursor.execute(sql)


class Inserter:
    """Assigns ids and inserts model instances (and their "created" history rows) in bulk."""

    def __init__(self) -> None:
        self.next_ids: dict[type[models.Model], int] = {}

    def assign_ids(self, model: type[models.Model], objs: Iterable[models.Model]) -> None:
        if model not in self.next_ids:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next_ids[model] = top + 1
        next_id = self.next_ids[model]
        for obj in objs:
            obj.pk = next_id
            next_id += 1
        self.next_ids[model] = next_id

    def insert(self, model: type[models.Model], objs: list[models.Model]) -> None:
        """Insert objects whose ids were assigned with `assign_ids`."""
        fields = list(model._meta.concrete_fields)
        convert = [converter(f) for f in fields]
        attnames = [f.attname for f in fields]
        rows = [
            tuple(c(getattr(obj, a)) for c, a in zip(convert, attnames, strict=True))
            for obj in objs
        ]
        _insert(model._meta.db_table, [f.column for f in fields], rows)

    def insert_history(self, model: type[models.Model], objs: list[models.Model]) -> None:
        """One "+" (created) history row per object, dated and signed as the object says
        (`_history_date`, `_history_user_id`)."""
        historical = model.history.model  # type: ignore[attr-defined]
        fields = [f for f in historical._meta.concrete_fields if f.name != "history_id"]
        special = {"history_date", "history_type", "history_user_id", "history_change_reason"}
        convert = [converter(f) for f in fields]
        attnames = [f.attname for f in fields]
        rows = []
        for obj in objs:
            extra = {
                "history_date": obj._history_date,  # type: ignore[attr-defined]
                "history_type": "+",
                "history_user_id": getattr(obj, "_history_user_id", None),
                "history_change_reason": None,
            }
            rows.append(
                tuple(
                    c(extra[a] if a in special else getattr(obj, a))
                    for c, a in zip(convert, attnames, strict=True)
                )
            )
        _insert(historical._meta.db_table, [f.column for f in fields], rows)

    def reset_sequences(self) -> None:
        """PostgreSQL sequences continue after the ids given here (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
