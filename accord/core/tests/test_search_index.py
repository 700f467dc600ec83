"""The SQLite full-text index: contentless FTS5 tables kept by triggers, and their repair.

PostgreSQL needs none of this: its index is an expression index on the table itself.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase

from accord.core.search import repair_indexes, search
from accord.core.search.ddl import SearchIndex
from accord.core.testing.matrix import make_users
from accord.parties.models import Organization

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="FTS5 tables and triggers exist on SQLite only"
)


def titles(group) -> list[str]:
    return [hit.title for hit in group]


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
