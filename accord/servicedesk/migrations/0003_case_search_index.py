"""Full-text search index for cases: number and subject (FTS5 on SQLite, tsvector table on
PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

CASES = SearchIndex("servicedesk_case", ("number", "subject"))


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0002_servicelevel_defaults")]

    operations = [migrations.RunPython(CASES.forward, CASES.backward, elidable=False)]
