"""The full-text indexes behind search, for migrations and for repair.

Table and column names in this module come from code (migrations, model meta), never from users.

SQLite: an FTS5 table `<table>_fts` per model (tokenizer `unicode61 remove_diacritics 2`, so
"muller" finds "Müller"; prefix indexes for 2 and 3 letters, so typing stays fast), kept in sync by
AFTER INSERT/UPDATE/DELETE triggers on the model's table. The FTS table is contentless: it stores
only the index, the text stays in the model's table. It is contentless rather than external-content
because the triggers fold `ß` to `ss` before indexing (unicode61 does not), and an external-content
'rebuild' would re-read the unfolded text and corrupt the index.

PostgreSQL: a GIN expression index on `to_tsvector('accord_search', <fields>)`, queried with the same
expression. `accord_search` is the `simple` configuration plus the `unaccent` dictionary when the
extension can be created (else plain `simple`: umlauts then match only themselves). Expression
indexes need no triggers.

A migration creates an index with `SearchIndex(table, columns).forward` / `.backward`; the column
list is frozen in the migration. A later change of the registered fields needs a new migration that
drops the old index and creates the new one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

TS_CONFIG = "accord_search"
# Characters PostgreSQL's parser keeps inside one token (emails, hosts, paths, hyphenated words,
# numbers) or reads as markup (`<tag>` and `&entity;` are dropped); FTS5's unicode61 splits on all
# of them, so with these turned into spaces both indexes see the same words. Changing this string
# changes the index expression: it needs a migration that recreates the PostgreSQL indexes.
PG_SPLIT_CHARS = ".@/_-:+,\\'<>&"
_UNACCENT_MAPPED = "word, hword, hword_part, numword, numhword, hword_numpart"


def qn(name: str) -> str:
    """Quote an identifier (table and column names come from code, never from users)."""
    return '"{}"'.format(name.replace('"', '""'))


def pg_document(columns: tuple[str, ...], alias: str = "") -> str:
    """The tsvector expression of the index; queries must use exactly this text to hit it."""
    prefix = f"{qn(alias)}." if alias else ""
    joined = " || ' ' || ".join(f"coalesce({prefix}{qn(c)}, '')" for c in columns)
    spaces = " " * len(PG_SPLIT_CHARS)
    split = PG_SPLIT_CHARS.replace("'", "''")
    return f"to_tsvector('{TS_CONFIG}'::regconfig, translate({joined}, '{split}', '{spaces}'))"


def _sqlite_fold(ref: str, column: str) -> str:
    return f"replace(replace(coalesce({ref}.{qn(column)}, ''), 'ß', 'ss'), 'ẞ', 'ss')"


@dataclass(frozen=True)
class SearchIndex:
    """The full-text index of one table over the given columns."""

    table: str
    columns: tuple[str, ...]

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def pg_index(self) -> str:
        return f"{self.table}_search"

    # --- SQLite -------------------------------------------------------------------------------
    def sqlite_create_table(self) -> str:
        cols = ", ".join(qn(c) for c in self.columns)
        return (
            f"CREATE VIRTUAL TABLE {qn(self.fts_table)} USING fts5({cols}, content='', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
        )

    def _sqlite_row(self, ref: str) -> str:
        return ", ".join(_sqlite_fold(ref, c) for c in self.columns)

    def sqlite_triggers(self) -> list[str]:
        fts, table = qn(self.fts_table), qn(self.table)
        cols = ", ".join(qn(c) for c in self.columns)
        insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {self._sqlite_row('new')});"  # noqa: S608
        delete = (
            f"INSERT INTO {fts}({fts}, rowid, {cols}) "  # noqa: S608
            f"VALUES ('delete', old.id, {self._sqlite_row('old')});"
        )
        name = self.fts_table
        return [
            f"CREATE TRIGGER {qn(name + '_ai')} AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER {qn(name + '_ad')} AFTER DELETE ON {table} BEGIN {delete} END",
            # Only a change of an indexed column touches the index (not last_interaction_at …).
            f"CREATE TRIGGER {qn(name + '_au')} AFTER UPDATE OF {cols}, id ON {table} "
            f"BEGIN {delete} {insert} END",
        ]

    def sqlite_trigger_names(self) -> set[str]:
        return {f"{self.fts_table}_{s}" for s in ("ai", "ad", "au")}

    def sqlite_fill(self) -> list[str]:
        fts = qn(self.fts_table)
        cols = ", ".join(qn(c) for c in self.columns)
        return [
            f"INSERT INTO {fts}({fts}) VALUES ('delete-all')",  # noqa: S608
            f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {self._sqlite_row(qn(self.table))} "  # noqa: S608
            f"FROM {qn(self.table)}",
            f"INSERT INTO {fts}({fts}) VALUES ('optimize')",  # noqa: S608
        ]

    def sqlite_drop(self) -> list[str]:
        drops = [f"DROP TRIGGER IF EXISTS {qn(n)}" for n in sorted(self.sqlite_trigger_names())]
        return [*drops, f"DROP TABLE IF EXISTS {qn(self.fts_table)}"]

    # --- PostgreSQL ---------------------------------------------------------------------------
    def pg_create(self) -> str:
        return (
            f"CREATE INDEX IF NOT EXISTS {qn(self.pg_index)} ON {qn(self.table)} "
            f"USING gin (({pg_document(self.columns)}))"
        )

    def pg_drop(self) -> str:
        return f"DROP INDEX IF EXISTS {qn(self.pg_index)}"

    # --- migration operations -----------------------------------------------------------------
    def forward(self, apps, schema_editor) -> None:
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            for sql in [*self.sqlite_drop(), self.sqlite_create_table(), *self.sqlite_triggers()]:
                schema_editor.execute(sql, params=None)
            for sql in self.sqlite_fill():
                schema_editor.execute(sql, params=None)
        elif connection.vendor == "postgresql":
            ensure_pg_config(connection)
            schema_editor.execute(self.pg_create(), params=None)

    def backward(self, apps, schema_editor) -> None:
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            for sql in self.sqlite_drop():
                schema_editor.execute(sql, params=None)
        elif connection.vendor == "postgresql":
            schema_editor.execute(self.pg_drop(), params=None)
            drop_pg_config_if_unused(connection)

    # --- repair -------------------------------------------------------------------------------
    def sqlite_repair(self, connection) -> bool:
        """Recreate triggers lost to a table rebuild (SQLite's ALTER) and refill; True if repaired.

        Django rebuilds a SQLite table for many schema changes (new table, copy, drop, rename); the
        drop takes the triggers with it. An FTS table that does not exist is left alone: its
        migration has not run or was reversed.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT type, name FROM sqlite_master WHERE name = %s OR tbl_name = %s",
                [self.fts_table, self.table],
            )
            found = {(t, n) for t, n in cursor.fetchall()}
            if ("table", self.fts_table) not in found:
                return False
            triggers = {n for t, n in found if t == "trigger"}
            cursor.execute(f"SELECT * FROM {qn(self.fts_table)} WHERE 0")  # noqa: S608
            columns = tuple(d[0] for d in cursor.description)
            if columns == self.columns and self.sqlite_trigger_names() <= triggers:
                return False
            logger.warning("Rebuilding the search index %s", self.fts_table)
            statements = [
                *self.sqlite_drop(),
                self.sqlite_create_table(),
                *self.sqlite_triggers(),
                *self.sqlite_fill(),
            ]
            for sql in statements:
                cursor.execute(sql)
        return True


def ensure_pg_config(connection) -> None:
    """Create the `accord_search` text search configuration (with unaccent where possible)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [TS_CONFIG])
        if cursor.fetchone():
            return
        has_unaccent = True
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except DatabaseError:
            has_unaccent = False
            logger.warning(
                "PostgreSQL extension 'unaccent' is not available: search will not fold accents"
            )
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.simple)")
        if has_unaccent:
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} "
                f"ALTER MAPPING FOR {_UNACCENT_MAPPED} WITH unaccent, simple"
            )


def drop_pg_config_if_unused(connection) -> None:
    """Drop the configuration when no other search index uses it any more."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_CONFIG}")
    except DatabaseError:
        pass  # another app's search index still depends on it
