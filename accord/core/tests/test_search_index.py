"""The full-text index tables and the triggers that keep them: FTS5 on SQLite (and its repair after
Django rebuilds a table), a tsvector side table on PostgreSQL (also emptied by TRUNCATE)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase

from accord.core.search import repair_indexes, search, search_ids
from accord.core.search.ddl import SearchIndex
from accord.core.testing.matrix import make_users
from accord.interactions.models import Interaction
from accord.parties.models import Organization

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's")


def titles(group) -> list[str]:
    return [hit.title for hit in group]


@sqlite_only
class SqliteTriggerRepairTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.u = make_users()

    def test_lost_triggers_are_recreated_and_the_index_refilled(self):
        Organization.objects.create(name="Vorher Trigger AG", owner=self.u.owner)
        with connection.cursor() as cursor:
            cursor.execute('DROP TRIGGER "parties_organization_fts_ai"')
        Organization.objects.create(name="Ohne Trigger AG", owner=self.u.owner)
        self.assertEqual(titles(search(self.u.admin, "ohne trigger")["organization"]), [])
        self.assertEqual(repair_indexes(using="default"), ["parties_organization"])
        self.assertEqual(
            titles(search(self.u.admin, "ohne trigger")["organization"]), ["Ohne Trigger AG"]
        )
        Organization.objects.create(name="Mit Trigger AG", owner=self.u.owner)
        self.assertEqual(len(search(self.u.admin, "trigger")["organization"]), 3)
        self.assertEqual(repair_indexes(using="default"), [])

    def test_fts_tables_are_contentless_and_fold_diacritics(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s",
                [SearchIndex("interactions_interaction", ()).fts_table],
            )
            sql = cursor.fetchone()[0]
        self.assertIn("remove_diacritics 2", sql)
        self.assertIn("content=''", sql)

    def test_common_whole_words_are_not_expanded_to_longer_words(self):
        """Newest-first candidates: a long word that fills the set alone is taken whole."""
        for i in range(3):
            Interaction.objects.create(kind="note", subject=f"Angebot {i}", owner=self.u.owner)
        newest = Interaction.objects.create(kind="note", subject="Angebote", owner=self.u.owner)
        self.assertEqual(len(search_ids(Interaction, "angebot", limit=3)), 3)
        self.assertNotIn(newest.pk, search_ids(Interaction, "angebot", limit=3))
        self.assertIn(newest.pk, search_ids(Interaction, "angebot", limit=10))
        self.assertEqual(search_ids(Interaction, "angebo", limit=3)[0], newest.pk)

    def test_a_changed_definition_is_rebuilt(self):
        Organization.objects.create(name="Alte Definition AG", owner=self.u.owner)
        index = SearchIndex(
            "parties_organization", ("name", "legal_name", "city", "vat_id", "website")
        )
        with connection.cursor() as cursor:
            for sql in index.sqlite_drop():
                cursor.execute(sql)
            cursor.execute(index.sqlite_create_table().replace("prefix='2 3 4'", "prefix='2'"))
        self.assertEqual(repair_indexes(using="default"), ["parties_organization"])
        self.assertEqual(
            titles(search(self.u.admin, "alte definition")["organization"]), ["Alte Definition AG"]
        )


@sqlite_only
class SqliteTableRebuildTests(TransactionTestCase):
    def test_migrate_repairs_what_a_table_rebuild_dropped(self):
        """Django rebuilds a SQLite table for many ALTERs; that drops its triggers."""
        admin = get_user_model().objects.create_user(
            email="admin@example.test", password="pw-Accord-1", role="admin"
        )
        with connection.schema_editor() as editor:
            editor._remake_table(Organization)
        Organization.objects.create(name="Nach Umbau GmbH")
        self.assertEqual(titles(search(admin, "umbau")["organization"]), [])
        call_command("migrate", verbosity=0)
        self.assertEqual(titles(search(admin, "umbau")["organization"]), ["Nach Umbau GmbH"])


@postgresql_only
class PostgresqlSideTableTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.u = make_users()

    def test_truncate_empties_the_index(self):
        """Django's flush truncates tables; ids start again at 1 and must not find old text."""
        Organization.objects.create(name="Vor dem Leeren AG", owner=self.u.owner)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute('TRUNCATE "parties_organization" CASCADE')
            cursor.execute('SELECT count(*) FROM "parties_organization_fts"')
            self.assertEqual(cursor.fetchone()[0], 0)
        self.assertEqual(titles(search(self.u.admin, "leeren")["organization"]), [])

    def test_index_is_a_stored_tsvector_with_folded_words(self):
        org = Organization.objects.create(
            name="Müller-Lüdenscheidt Straße", website="https://www.x-y.example", owner=self.u.owner
        )
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT document FROM "parties_organization_fts" WHERE id = %s', [org.pk]
            )
            document = cursor.fetchone()[0]
        for word in ("'muller'", "'ludenscheidt'", "'strasse'", "'www'", "'example'"):
            self.assertIn(word, document)

    def test_refill_after_a_load_without_the_trigger(self):
        index = SearchIndex(
            "parties_organization", ("name", "legal_name", "city", "vat_id", "website")
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER
            cursor.execute(
                'ALTER TABLE "parties_organization" DISABLE TRIGGER "parties_organization_fts_sync"'
            )
            Organization.objects.create(name="Massenimport GmbH", owner=self.u.owner)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                'ALTER TABLE "parties_organization" ENABLE TRIGGER "parties_organization_fts_sync"'
            )
            self.assertEqual(titles(search(self.u.admin, "massenimport")["organization"]), [])
            for sql in index.pg_fill():
                cursor.execute(sql)
        self.assertEqual(
            titles(search(self.u.admin, "massenimport")["organization"]), ["Massenimport GmbH"]
        )
