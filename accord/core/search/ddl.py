"""The full-text indexes behind search, for migrations and for repair.

Table and column names in this module come from code (migrations, model meta), never from users.

SQLite: an FTS5 table `<table>_fts` per model (tokenizer `unicode61 remove_diacritics 2`, so
"muller" finds "Müller"; prefix indexes for 2, 3 and 4 letters, so typing stays fast), kept in sync by
AFTER INSERT/UPDATE/DELETE triggers on the model's table. The FTS table is contentless: it stores
only the index, the text stays in the model's table. It is contentless rather than external-content
because the triggers fold `ß` to `ss` before indexing (unicode61 does not), and an external-content
'rebuild' would re-read the unfolded text and corrupt the index.

PostgreSQL: a side table `<table>_fts (id, document tsvector)` with a GIN index, kept by an AFTER
INSERT/UPDATE/DELETE row trigger and an AFTER TRUNCATE trigger on the model's table; `document` is
`to_tsvector('accord_search', <fields>)`. `accord_search` is the `simple` configuration plus the
`unaccent` dictionary when the extension can be created (else plain `simple`: umlauts then match
only themselves). A stored tsvector rather than an expression index: with an expression index every
row PostgreSQL looks at outside the bitmap path (newest first with a LIMIT, ranking, lossy pages)
runs to_tsvector again — 50–90 µs a row, 100–350 ms for a common word in a million interactions —
while a stored one is read in a microsecond or two. A side table rather than a column keeps the
model's table as Django knows it (a hidden column would block later ALTERs of the fields).

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
# FTS5 keeps a separate index for prefixes of these lengths: a prefix query of such a length
# streams like a whole word; a longer one merges the lists of all words it starts (see backends).
FTS5_PREFIXES = (2, 3, 4)
# Characters PostgreSQL's parser keeps inside one token (emails, hosts, paths, hyphenated words,
# numbers) or reads as markup (`<tag>` and `&entity;` are dropped); FTS5's unicode61 splits on all
# of them, so with these turned into spaces both indexes see the same words. Changing this string
# changes the index expression: it needs a migration that recreates the PostgreSQL indexes.
PG_SPLIT_CHARS = ".@/_-:+,\\'<>&"
_UNACCENT_MAPPED = "word, hword, hword_part, numword, numhword, hword_numpart"


def qn(name: str) -> str:
    """Quote an identifier (table and column names come from code, never from users)."""
    return '"{}"'.format(name.replace('"', '""'))


def _pg_vector(columns: tuple[str, ...], prefix: str) -> str:
    joined = " || ' ' || ".join(f"coalesce({prefix}{qn(c)}, '')" for c in columns)
    spaces = " " * len(PG_SPLIT_CHARS)
    split = PG_SPLIT_CHARS.replace("'", "''")
    return f"to_tsvector('{TS_CONFIG}'::regconfig, translate({joined}, '{split}', '{spaces}'))"


def pg_document(columns: tuple[str, ...], row: str = "", names: tuple[str, ...] = ()) -> str:
    """The tsvector of a row (`row` is a table alias or the trigger's NEW): the words of the name
    columns weighted A, the others D, so that a query can ask for name matches only."""
    prefix = f"{row}." if row else ""
    names = names or columns[:1]
    others = tuple(c for c in columns if c not in names)
    document = f"setweight({_pg_vector(names, prefix)}, 'A')"
    if others:
        document += f" || setweight({_pg_vector(others, prefix)}, 'D')"
    return document


def _sqlite_fold(ref: str, column: str) -> str:
    return f"replace(replace(coalesce({ref}.{qn(column)}, ''), 'ß', 'ss'), 'ẞ', 'ss')"


@dataclass(frozen=True)
class SearchIndex:
    """The full-text index of one table over the given columns; `names` (default: the first
    column) are the columns a hit's name is made of."""

    table: str
    columns: tuple[str, ...]
    names: tuple[str, ...] = ()

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    # --- SQLite -------------------------------------------------------------------------------
    def sqlite_create_table(self) -> str:
        cols = ", ".join(qn(c) for c in self.columns)
        prefixes = " ".join(str(n) for n in FTS5_PREFIXES)
        return (
            f"CREATE VIRTUAL TABLE {qn(self.fts_table)} USING fts5({cols}, content='', "
            f"tokenize='unicode61 remove_diacritics 2', prefix='{prefixes}')"
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
    def pg_create(self) -> list[str]:
        fts, table = qn(self.fts_table), qn(self.table)
        sync, wipe = qn(f"{self.fts_table}_sync"), qn(f"{self.fts_table}_truncate")
        cols = ", ".join(qn(c) for c in self.columns)
        return [
            f"CREATE TABLE {fts} (id bigint PRIMARY KEY, document tsvector NOT NULL)",
            f"""CREATE FUNCTION {sync}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
    DELETE FROM {fts} WHERE id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO {fts} (id, document) VALUES (NEW.id, {pg_document(self.columns, "NEW", self.names)})
    ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document;
  END IF;
  RETURN NULL;
END $$""",  # noqa: S608
            f"CREATE FUNCTION {wipe}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN TRUNCATE {fts}; RETURN NULL; END $$",
            f"CREATE TRIGGER {sync} AFTER INSERT OR DELETE OR UPDATE OF id, {cols} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {sync}()",
            f"CREATE TRIGGER {wipe} AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {wipe}()",
            f"INSERT INTO {fts} (id, document) "  # noqa: S608
            f"SELECT id, {pg_document(self.columns, table, self.names)} FROM {table}",
            f"CREATE INDEX {qn(self.fts_table + '_document')} ON {fts} USING gin (document)",
            # Finer word statistics, so that the planner tells rare words (use the GIN index) from
            # common ones (walk the newest rows) — a wrong guess costs a scan of the whole table.
            f"ALTER TABLE {fts} ALTER COLUMN document SET STATISTICS 1000",
            f"ANALYZE {fts}",
        ]

    def pg_fill(self) -> list[str]:
        """Index every row again (after a bulk load with the sync trigger disabled)."""
        fts, table = qn(self.fts_table), qn(self.table)
        return [
            f"INSERT INTO {fts} (id, document) "  # noqa: S608
            f"SELECT id, {pg_document(self.columns, table, self.names)} FROM {table} "
            "ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document",
            f"DELETE FROM {fts} WHERE id NOT IN (SELECT id FROM {table})",  # noqa: S608
            f"ANALYZE {fts}",
        ]

    def pg_drop(self) -> list[str]:
        table = qn(self.table)
        sync, wipe = f"{self.fts_table}_sync", f"{self.fts_table}_truncate"
        return [
            f"DROP TRIGGER IF EXISTS {qn(sync)} ON {table}",
            f"DROP TRIGGER IF EXISTS {qn(wipe)} ON {table}",
            f"DROP FUNCTION IF EXISTS {qn(sync)}()",
            f"DROP FUNCTION IF EXISTS {qn(wipe)}()",
            f"DROP TABLE IF EXISTS {qn(self.fts_table)}",
        ]

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
            for sql in [*self.pg_drop(), *self.pg_create()]:
                schema_editor.execute(sql, params=None)

    def backward(self, apps, schema_editor) -> None:
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            for sql in self.sqlite_drop():
                schema_editor.execute(sql, params=None)
        elif connection.vendor == "postgresql":
            for sql in self.pg_drop():
                schema_editor.execute(sql, params=None)
            drop_pg_config_if_unused(connection)

    # --- repair -------------------------------------------------------------------------------
    def sqlite_repair(self, connection) -> bool:
        """Recreate an index whose triggers a table rebuild (SQLite's ALTER) dropped, or whose
        definition (columns, prefixes) changed, and refill it; True if it did.

        Django rebuilds a SQLite table for many schema changes (new table, copy, drop, rename); the
        drop takes the triggers with it. An FTS table that does not exist is left alone: its
        migration has not run or was reversed.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name = %s OR tbl_name = %s",
                [self.fts_table, self.table],
            )
            found = {(t, n): sql for t, n, sql in cursor.fetchall()}
            definition = found.get(("table", self.fts_table))
            if definition is None:
                return False
            triggers = {n for t, n in found if t == "trigger"}
            if definition == self.sqlite_create_table() and self.sqlite_trigger_names() <= triggers:
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
