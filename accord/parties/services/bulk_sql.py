"""Fast inserts for bulk services (imports): rows go in with `executemany` (SQLite) or `COPY`
(PostgreSQL), their ids come back, and each gets its "created" history row.

Django's `bulk_create` prepares every value through the field machinery and builds a model instance
per row; at 100,000 imported people (with addresses, numbers and positions: several rows each,
history included) that alone costs longer than the whole import may take. Here rows are plain
dicts of field values, completed with the fields' defaults and converted once per field type.

Ids are safe with concurrent writers: on SQLite a transaction holds the database's single write lock
from its first statement (Accord opens them IMMEDIATE) to its commit, so the rows of one
`executemany` get consecutive ids ending at `last_insert_rowid()` (checked after the insert); on
PostgreSQL the ids are drawn from the table's sequence first.

Full-text search stays right: on SQLite the search index's insert trigger (`core.search`) costs
more than the insert itself, so for a large batch it is dropped inside the transaction, the new rows
are indexed with one INSERT … SELECT of exactly the same text, and the trigger is created again —
all in the transaction, so other connections never see the table without it. PostgreSQL's
triggers run as usual. Call everything here inside `transaction.atomic()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

_TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField, models.URLField)
_PLAIN_FIELDS = (
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BigIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.ForeignKey,
    models.OneToOneField,
)
DEFER_SEARCH_INDEX_FROM = 50  # rows: below this the trigger is cheaper than dropping it

Row = dict[str, Any]


def _text(value: Any) -> Any:
    return value if value is None or type(value) is str else str(value)


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=1024)
def _sqlite_datetime(value: datetime | None) -> Any:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_date(value: date | None) -> Any:
    return None if value is None else value.isoformat()


def _converter(field: models.Field) -> Callable[[Any], Any]:
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else _identity
    if isinstance(field, models.DateField):
        return _sqlite_date if sqlite else _identity
    if type(field) in _TEXT_FIELDS:
        return _text
    if type(field) in _PLAIN_FIELDS:
        return _identity
    return lambda value: field.get_db_prep_save(value, connection)  # CountryField and others


def _quote(name: str | None) -> str:
    return connection.ops.quote_name(str(name))


def _columns(fields: Iterable[models.Field]) -> list[str]:
    return [str(f.column) for f in fields]


def _execute_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    names = ", ".join(_quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - from meta
        cursor.executemany(sql, rows)


def _defaults(fields: Iterable[models.Field]) -> dict[str, Any]:
    """Each field's value when a row does not give one: its default, or now for auto_now(_add)."""
    now = timezone.now()
    values = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values[f.attname] = now
        else:
            values[f.attname] = f.get_default()
    return values


def _tuples(fields: list[models.Field], rows: Iterable[Row], defaults: Row) -> list[tuple]:
    """Rows as tuples in field order: missing values from `defaults`, then converted where the
    database needs another type (dates, countries …); text (str) and numbers go in as they are."""
    getter = itemgetter(*[f.attname for f in fields])
    converters = [_converter(f) for f in fields]
    convert = [(i, c) for i, c in enumerate(converters) if c is not _identity and c is not _text]
    single = len(fields) == 1
    out = []
    for row in rows:
        merged = {**defaults, **row}
        values = [getter(merged)] if single else list(getter(merged))
        for i, c in convert:
            values[i] = c(values[i])
        out.append(tuple(values))
    return out


def _search_index(model: type[models.Model]) -> Any:
    """The SQLite full-text index of `model`, if it has one (see `core.search.ddl`)."""
    from accord.core.search.ddl import SearchIndex
    from accord.core.search.registry import entry_for_model

    try:
        entry = entry_for_model(model)
    except LookupError:
        return None
    index = SearchIndex(entry.table, entry.columns)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [f"{index.fts_table}_ai"],
        )
        return index if cursor.fetchone() else None


@contextmanager
def _index_afterwards(
    model: type[models.Model], count: int
) -> Iterator[Callable[[int, int], None]]:
    """On SQLite, for a large batch: no insert trigger while the rows go in; `fill(first, last)`
    indexes them afterwards with the trigger's own expression."""
    index = None
    if connection.vendor == "sqlite" and count >= DEFER_SEARCH_INDEX_FROM:
        index = _search_index(model)
    if index is None:
        yield lambda first, last: None
        return
    from accord.core.search.ddl import qn

    name = qn(index.fts_table + "_ai")
    insert_trigger = next(sql for sql in index.sqlite_triggers() if f"TRIGGER {name} " in sql)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")

    def fill(first: int, last: int) -> None:
        cols = ", ".join(qn(c) for c in index.columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(index.fts_table)}(rowid, {cols}) "  # noqa: S608 - from meta
                f"SELECT id, {index._sqlite_row(qn(index.table))} FROM {qn(index.table)} "
                "WHERE id BETWEEN %s AND %s",
                [first, last],
            )

    try:
        yield fill
    finally:
        with connection.cursor() as cursor:
            cursor.execute(insert_trigger)


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Row],
    *,
    history_user_id: int | None = None,
    history_reason: str | None = None,
) -> list[int]:
    """Insert rows given as {attname: value} (missing fields take their defaults); their ids.

    With `history_reason` (may be ""), each row also gets its "created" history row signed by
    `history_user_id`, made from the values just converted for the insert (as `insert_history`
    would write it, without converting every value a second time)."""
    if not rows:
        return []
    assert connection.in_atomic_block, "bulk inserts run inside transaction.atomic()"
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    fields = list(model._meta.concrete_fields)
    defaults = _defaults(fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        with_ids = [{**row, pk.attname: pk_value} for row, pk_value in zip(rows, ids, strict=True)]
        tuples = _tuples(fields, with_ids, defaults)
        _execute_rows(table, _columns(fields), tuples)
    else:
        fields = [f for f in fields if f is not pk]
        tuples = _tuples(fields, rows, defaults)
        with _index_afterwards(model, len(rows)) as fill:
            _execute_rows(table, _columns(fields), tuples)
            with connection.cursor() as cursor:
                cursor.execute("SELECT last_insert_rowid()")
                last = cursor.fetchone()[0]
                first = last - len(rows) + 1
                cursor.execute(
                    f"SELECT COUNT(*) FROM {_quote(table)} WHERE {_quote(pk.column)} BETWEEN %s AND %s",  # noqa: S608
                    [first, last],
                )
                if cursor.fetchone()[0] != len(rows):  # pragma: no cover - SQLite's write lock
                    raise RuntimeError(f"ids of the rows inserted into {table} are not consecutive")
            fill(first, last)
        ids = list(range(first, last + 1))
    if history_reason is not None:
        _history_from_tuples(model, fields, tuples, ids, history_user_id, history_reason)
    return ids


def _history_specials(user_id: int | None, reason: str, history_type: str) -> Row:
    return {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_user_id": user_id,
        "history_change_reason": reason or None,
    }


def _history_from_tuples(
    model: type[models.Model],
    fields: list[models.Field],
    tuples: list[tuple],
    ids: list[int],
    user_id: int | None,
    reason: str,
) -> None:
    """The "created" history rows of just inserted rows, from their converted values: each
    history tuple picks its values from (row values …, id, history values …) by position."""
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    hist_fields = [f for f in historical._meta.concrete_fields if f.name != "history_id"]
    special = _history_specials(user_id, reason, "+")
    position = {f.attname: i for i, f in enumerate(fields)}
    pk_name = model._meta.pk.attname  # type: ignore[union-attr]
    extra_names = [f.attname for f in hist_fields if f.attname not in position]
    extra_names = [n for n in extra_names if n != pk_name]
    extra_fields = {f.attname: f for f in hist_fields}
    defaults = {**_defaults(model._meta.concrete_fields), **special}
    # values of the history row that are not in the inserted row: the same for every row
    tail = tuple(_converter(extra_fields[n])(defaults.get(n)) for n in extra_names)
    width = len(fields)
    index = {**position, pk_name: width, **{n: width + 1 + i for i, n in enumerate(extra_names)}}
    if len(hist_fields) == 1:  # pragma: no cover - a history table has its own columns too
        raise RuntimeError("unexpected history table")
    pick = itemgetter(*[index[f.attname] for f in hist_fields])
    out = [pick((*values, pk, *tail)) for values, pk in zip(tuples, ids, strict=True)]
    _execute_rows(historical._meta.db_table, _columns(hist_fields), out)


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert new model instances and set their ids (no signals)."""
    if not objs:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:  # what save() would fill in
        for f in fields:
            if getattr(f, "auto_now", False) or (
                getattr(f, "auto_now_add", False) and getattr(obj, f.attname) is None
            ):
                setattr(obj, f.attname, now)
    rows = [{f.attname: getattr(obj, f.attname) for f in fields} for obj in objs]
    for obj, pk_value in zip(objs, insert_rows(model, rows), strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_history(
    model: type[models.Model],
    rows: Sequence[Row | models.Model],
    *,
    user_id: int | None,
    reason: str = "",
    history_type: str = "+",
) -> None:
    """One history row per record ("+" created, "~" changed), signed by `user_id`, now. Records
    are model instances or dicts of field values that include the id."""
    history = getattr(model, "history", None)
    if history is None or not rows:
        return
    historical = history.model
    fields = [f for f in historical._meta.concrete_fields if f.name != "history_id"]
    special = _history_specials(user_id, reason, history_type)
    base = {**_defaults(model._meta.concrete_fields), **special}
    attnames = [f.attname for f in fields if f.attname not in special]
    if rows and isinstance(rows[0], models.Model):
        dicts: list[Row] = [{a: getattr(obj, a) for a in attnames} for obj in rows]
    else:
        dicts = rows  # type: ignore[assignment]
    _execute_rows(historical._meta.db_table, _columns(fields), _tuples(fields, dicts, base))


def insert_link_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Rows of a link table given by field names (no ids returned, no history)."""
    names = [str(model._meta.get_field(c).column) for c in columns]  # type: ignore[union-attr]
    _execute_rows(model._meta.db_table, names, rows)


def update_objects(
    model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """Write the given fields of existing rows (one `executemany`; no signals, no history)."""
    if not objs or not fields:
        return
    model_fields = [model._meta.get_field(name) for name in fields]
    concrete: list[models.Field] = [f for f in model_fields if isinstance(f, models.Field)]
    convert = [(_converter(f), f.attname) for f in concrete]
    pk = model._meta.pk
    assert pk is not None
    sets = ", ".join(f"{_quote(f.column)} = %s" for f in concrete)
    sql = f"UPDATE {_quote(model._meta.db_table)} SET {sets} WHERE {_quote(pk.column)} = %s"  # noqa: S608
    rows = [tuple(c(getattr(obj, a)) for c, a in convert) + (obj.pk,) for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
