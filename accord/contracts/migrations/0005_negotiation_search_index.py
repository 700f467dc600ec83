"""Full-text search index of negotiations: title, goal and outcome (FTS5 on SQLite, tsvector
table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

NEGOTIATIONS = SearchIndex("contracts_negotiation", ("title", "goal", "outcome_reason"))


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_contract_search_index"),
    ]

    operations = [
        migrations.RunPython(NEGOTIATIONS.forward, NEGOTIATIONS.backward, elidable=False),
    ]
