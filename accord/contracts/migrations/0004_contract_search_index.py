"""Full-text search indexes: contracts by title, number and counterparty name; commitments by
title, description and source (FTS5 on SQLite, tsvector table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

CONTRACTS = SearchIndex("contracts_contract", ("title", "number", "counterparty_name"))
COMMITMENTS = SearchIndex("contracts_commitment", ("title", "description", "source"))


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_contract_purchase_orders"),
    ]

    operations = [
        migrations.RunPython(CONTRACTS.forward, CONTRACTS.backward, elidable=False),
        migrations.RunPython(COMMITMENTS.forward, COMMITMENTS.backward, elidable=False),
    ]
