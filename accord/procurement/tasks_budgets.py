"""Background jobs of budgets: the alerts to budget owners (forecast over budget, 90 %, 100 %)."""

from __future__ import annotations

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.budgets import budget_alerts

ALERT_JOB = "procurement.budget_alerts"


@register_job(ALERT_JOB, heavy=False)
def send_budget_alerts(ctx: JobContext) -> None:
    """Tell owners of running budgets about overruns; each alert once (idempotent keys)."""
    ctx.advance(0, queued=budget_alerts())


register_periodic(ALERT_JOB, every=timedelta(hours=6))
