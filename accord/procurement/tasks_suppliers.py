"""Background jobs of suppliers: the daily reminders of expiring supplier documents."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.suppliers import document_reminders


@register_job("procurement.document_reminders", heavy=False)
def supplier_document_reminders(ctx: JobContext) -> None:
    """Tell profile owners of documents expiring in 60 or 14 days, or expired."""
    ctx.advance(0, queued=document_reminders())


register_periodic("procurement.document_reminders", every=timedelta(days=1))
