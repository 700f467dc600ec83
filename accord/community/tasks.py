"""Background jobs of the community app: the daily reminders of concerns to answer."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.concerns import concern_reminders


@register_job("community.concern_reminders", heavy=False)
def remind_concerns(ctx: JobContext) -> None:
    """Owners hear of concerns whose answer is due in three days or is overdue (once each)."""
    ctx.advance(0, notified=concern_reminders())


register_periodic("community.concern_reminders", every=timedelta(days=1))
