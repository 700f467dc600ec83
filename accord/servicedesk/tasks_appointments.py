"""The daily jobs of service appointments: generating the appointments of the recurring service
schedules, and reminding owners and our staff of the appointments coming up."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.appointments import generate_all
from .services.reminders import remind_upcoming

REMIND_JOB = "servicedesk.remind_appointments"


@register_job("servicedesk.generate_appointments", heavy=False)
def generate_appointments(ctx: JobContext) -> None:
    """Every active schedule's appointments of the coming days (nothing twice)."""
    result = generate_all()
    ctx.advance(result.schedules, created=result.created, updated=result.updated)


@register_job(REMIND_JOB, heavy=False)
def remind_appointments(ctx: JobContext) -> None:
    """The owner and our staff of each appointment starting tomorrow (in the company's zone) are
    told once (`services.reminders`)."""
    result = remind_upcoming()
    ctx.advance(result.appointments, notified=result.notified)


register_periodic("servicedesk.generate_appointments", every=timedelta(days=1))
register_periodic(REMIND_JOB, every=timedelta(days=1))
