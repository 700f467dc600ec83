"""The daily reminder job of contracts and commitments (thin: the services decide and notify)."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.commitments import send_commitment_reminders
from .services.contracts import send_contract_reminders

JOB = "contracts.reminders"


@register_job(JOB, heavy=False)
def contract_reminders(ctx: JobContext) -> None:
    """Notice deadlines (90/30/7 days ahead), ends (30 days), commitments due (7 days) and
    overdue: each owner is told once per date and window."""
    ctx.advance(0, notified=send_contract_reminders() + send_commitment_reminders())


register_periodic(JOB, every=timedelta(days=1))
