"""The daily job that generates the appointments of the recurring service schedules."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.appointments import generate_all


@register_job("servicedesk.generate_appointments", heavy=False)
def generate_appointments(ctx: JobContext) -> None:
    """Every active schedule's appointments of the coming days (nothing twice)."""
    result = generate_all()
    ctx.advance(result.schedules, created=result.created, updated=result.updated)


register_periodic("servicedesk.generate_appointments", every=timedelta(days=1))
