"""Full-text search index for opportunities: title and next step (FTS5 on SQLite, tsvector table on
PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

OPPORTUNITIES = SearchIndex("pipeline_opportunity", ("title", "next_step"))


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0002_default_pipelines"),
    ]

    operations = [
        migrations.RunPython(OPPORTUNITIES.forward, OPPORTUNITIES.backward, elidable=False),
    ]
