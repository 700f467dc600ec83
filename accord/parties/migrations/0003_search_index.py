"""Full-text search index for organizations and people (FTS5 on SQLite, tsvector table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

ORGANIZATIONS = SearchIndex(
    "parties_organization", ("name", "legal_name", "city", "vat_id", "website")
)
PEOPLE = SearchIndex(
    "parties_person",
    ("first_name", "last_name", "email", "job_title"),
    names=("first_name", "last_name"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(ORGANIZATIONS.forward, ORGANIZATIONS.backward, elidable=False),
        migrations.RunPython(PEOPLE.forward, PEOPLE.backward, elidable=False),
    ]
