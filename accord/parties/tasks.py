"""Background jobs of the parties app."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.people import refresh_stale_person_summaries


@register_job("parties.refresh_summaries", heavy=False)
def refresh_summaries(ctx: JobContext) -> None:
    """Positions whose end date has passed stop being a person's current organization and title."""
    ctx.advance(0, refreshed=refresh_stale_person_summaries())


register_periodic("parties.refresh_summaries", every=timedelta(hours=1))
