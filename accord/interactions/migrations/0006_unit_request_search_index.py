"""Full-text search index of requests between internal units: title and description."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

UNIT_REQUESTS = SearchIndex("interactions_unitrequest", ("title", "description"))


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0005_unit_requests"),
    ]

    operations = [
        migrations.RunPython(UNIT_REQUESTS.forward, UNIT_REQUESTS.backward, elidable=False),
    ]
