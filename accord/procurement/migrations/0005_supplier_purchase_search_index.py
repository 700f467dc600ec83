"""Full-text search indexes for supplier profiles (the organization's name and the notes) and
purchase orders (number, external id, note): FTS5 on SQLite, tsvector table on PostgreSQL."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

PROFILES = SearchIndex("procurement_supplierprofile", ("name", "notes"))
ORDERS = SearchIndex("procurement_purchaseorder", ("number", "external_id", "note"))


def forward(apps, schema_editor):
    PROFILES.forward(apps, schema_editor)
    ORDERS.forward(apps, schema_editor)


def backward(apps, schema_editor):
    ORDERS.backward(apps, schema_editor)
    PROFILES.backward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0004_supplier_profile_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
