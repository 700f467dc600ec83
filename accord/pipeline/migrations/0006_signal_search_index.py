"""Full-text search index for market signals: title, topic and note (FTS5 on SQLite, tsvector
table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

SIGNALS = SearchIndex("pipeline_marketsignal", ("title", "topic", "note"))


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0005_opportunity_list_index"),
    ]

    operations = [
        migrations.RunPython(SIGNALS.forward, SIGNALS.backward, elidable=False),
    ]
