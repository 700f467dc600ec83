"""Full-text search indexes: quotes by number and notes, orders by number and the client's
reference, invoices by number (FTS5 on SQLite, tsvector table on PostgreSQL)."""

from django.db import migrations

from accord.core.search.ddl import SearchIndex

QUOTES = SearchIndex("commerce_quote", ("number", "notes"))
ORDERS = SearchIndex("commerce_order", ("number", "customer_reference"))
INVOICES = SearchIndex("commerce_invoice", ("number",))


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0002_quotes_orders"),
    ]

    operations = [
        migrations.RunPython(QUOTES.forward, QUOTES.backward, elidable=False),
        migrations.RunPython(ORDERS.forward, ORDERS.backward, elidable=False),
        migrations.RunPython(INVOICES.forward, INVOICES.backward, elidable=False),
    ]
