"""Data in and out: importers, exporters, mail and calendar capture, webhooks.

Each concern is its own small Django app under this package (its own models and migrations):
`imports`, `mail`, `exports`, `webhooks`, `calendars`. They write through the domain apps' services
and run their heavy work as `accord.core.jobs` jobs.
"""
