"""Full-text search index for interactions: subject and text (FTS5 on SQLite, tsvector table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

INTERACTIONS = SearchIndex("interactions_interaction", ("subject", "body"))


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(INTERACTIONS.forward, INTERACTIONS.backward, elidable=False),
    ]
