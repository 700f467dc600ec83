"""Background jobs of the core framework."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .database import refresh_planner_statistics


@register_job("core.planner_statistics", heavy=False)
def planner_statistics(ctx: JobContext) -> None:
    """Refresh the query planner's statistics (SQLite), so lists keep using the right index."""
    refresh_planner_statistics()
    ctx.advance(0, ran=1)


register_periodic("core.planner_statistics", every=timedelta(hours=6))
