"""Full-text search indexes for service appointments (title, place) and trainings (topic) (FTS5
on SQLite, tsvector table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

APPOINTMENTS = SearchIndex("servicedesk_serviceappointment", ("title", "location"))
TRAININGS = SearchIndex("servicedesk_training", ("topic",))


def forward(apps, schema_editor):
    APPOINTMENTS.forward(apps, schema_editor)
    TRAININGS.forward(apps, schema_editor)


def backward(apps, schema_editor):
    TRAININGS.backward(apps, schema_editor)
    APPOINTMENTS.backward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0004_appointments")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
