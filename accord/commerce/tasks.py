"""Background jobs of the commerce app: the bank statement import (with progress), and the
daily run that orders due recurring orders and marks quotes past their validity expired."""

from __future__ import annotations

from datetime import timedelta

from accord.core.jobs import JobContext, JobFailed, register_job, register_periodic

from .models import BankStatement
from .services import create_due_recurring_orders, expire_quotes, import_statement


@register_job("commerce.bank_import", heavy=False)
def bank_import(ctx: JobContext) -> None:
    """Import one uploaded statement; rows imported before are recognised, not booked again."""
    statement = BankStatement.objects.filter(pk=ctx.job.params.get("statement")).first()
    if statement is None:
        raise JobFailed("The statement was deleted before it was imported.")
    actor = ctx.job.started_by
    ctx.set_total(max(0, statement.content.count("\n")))

    def progress(row, outcome: str) -> None:
        ctx.advance(1, **{outcome: 1})

    import_statement(actor=actor, statement=statement, progress=progress)
    for error in statement.errors:
        ctx.error(where=error["where"], message=error["message"])


@register_job("commerce.daily", heavy=False)
def daily(ctx: JobContext) -> None:
    """Order the due periods of recurring orders (once each) and expire old quotes."""
    orders = create_due_recurring_orders()
    ctx.advance(0, created=len(orders), expired=expire_quotes())


register_periodic("commerce.daily", every=timedelta(hours=1))
