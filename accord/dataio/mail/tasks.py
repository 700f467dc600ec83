"""Background jobs of the mail app (autodiscovered by core): thin, they call the services."""

from __future__ import annotations

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from . import services


@register_job(services.IMPORT_KIND, heavy=True, queue="mail")
def import_file(ctx: JobContext) -> None:
    """Capture an uploaded .eml, mbox or Maildir ZIP, resumable from its checkpoint."""
    services.mail_import_run(ctx)


@register_job(services.SYNC_KIND, heavy=True, queue="mail")
def sync_account(ctx: JobContext) -> None:
    """Capture the new messages of one IMAP account's chosen folders."""
    services.mail_account_sync(ctx)


@register_job(services.SYNC_ALL_KIND, heavy=False, queue="mail")
def sync_all(ctx: JobContext) -> None:
    """Queue a sync for every active account (every five minutes, by the worker)."""
    started = services.mail_sync_all_start()
    ctx.advance(len(started), queued=len(started))


register_periodic(services.SYNC_ALL_KIND, every=timedelta(minutes=5))
