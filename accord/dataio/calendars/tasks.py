"""Background jobs of the calendars app (discovered by core at start-up)."""

from accord.core.jobs import JobContext, register_job

from . import services


@register_job("calendars.vcard_import", heavy=True)
def run_vcard_import(ctx: JobContext) -> None:
    services.vcard_import_run(ctx)


@register_job("calendars.ical_import", heavy=True)
def run_ical_import(ctx: JobContext) -> None:
    services.ical_import_run(ctx)
