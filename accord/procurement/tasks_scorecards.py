"""Background jobs of the supplier scorecards: recomputing scores (a periodic job for the last and
the current month and quarter, and a job started from the ranking page with progress)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from accord.core.jobs import JobContext, register_job, register_periodic

from .selectors import scorecards as selectors
from .services import scorecards as services

PERIODIC_JOB = "procurement.recompute_recent_scores"


def recompute_recent(*, today: dt.date | None = None, ctx: JobContext | None = None) -> int:
    """Recompute every supplier's scores of the last and the current month and quarter."""
    today = today or timezone.localdate()
    targets = services.recent_period_starts(today)
    ids = selectors.scored_supplier_ids()
    if ctx is not None:
        ctx.set_total(len(ids) * len(targets))
    return services.recompute_periods(
        targets,
        supplier_ids=ids,
        progress=(lambda n: ctx.advance(n, refreshed=n)) if ctx is not None else None,
    )


@register_job(PERIODIC_JOB, heavy=False)
def recompute_recent_scores(ctx: JobContext) -> None:
    recompute_recent(ctx=ctx)


@register_job(services.RECOMPUTE_JOB, heavy=True)
def recompute_scores(ctx: JobContext) -> None:
    """Recompute the scores of the last `count` periods of the given kinds, for every supplier."""
    params = ctx.job.params or {}
    count = int(params.get("count") or 2)
    kinds = params.get("kinds") or ["month", "quarter"]
    today = timezone.localdate()
    targets = [
        (kind, start)
        for kind in kinds
        for start in selectors.recent_periods(selectors.period_kind(kind), today, count)
    ]
    ids = selectors.scored_supplier_ids()
    ctx.set_total(len(ids) * len(targets))
    services.recompute_periods(
        targets, supplier_ids=ids, progress=lambda n: ctx.advance(n, refreshed=n)
    )


register_periodic(PERIODIC_JOB, every=timedelta(hours=6))
