"""Full-text search index for stakeholder projects (name, description, location) and concerns
(title, description): FTS5 on SQLite, a tsvector table on PostgreSQL."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

PROJECTS = SearchIndex("community_stakeholderproject", ("name", "description", "location"))
CONCERNS = SearchIndex("community_concern", ("title", "description"))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_community"),
    ]

    operations = [
        migrations.RunPython(PROJECTS.forward, PROJECTS.backward, elidable=False),
        migrations.RunPython(CONCERNS.forward, CONCERNS.backward, elidable=False),
    ]
