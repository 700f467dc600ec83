"""Background jobs of the imports app: the dry run and the import (resumable from its checkpoint)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accord.core.database import refresh_planner_statistics
from accord.core.jobs import JobContext, JobFailed, register_job

from . import services
from .models import ImportRun
from .readers import FileRejected
from .services.runner import progress_error


class JobProgress:
    """The runner's `Progress` on a job's context."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx

    def set_total(self, total: int | None) -> None:
        self.ctx.set_total(total)

    def advance(self, n: int = 1, **counts: int) -> None:
        self.ctx.advance(n, **counts)

    def save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        self.ctx.save_checkpoint(checkpoint)

    def error(self, *, where: str, message: str, **extra: Any) -> None:
        self.ctx.error(where=where, message=message, **extra)

    def restore(
        self, done: int, counts: dict[str, int], errors: list[dict[str, Any]], error_count: int
    ) -> None:
        """A retried job continues from the committed state, not from what it last reported."""
        self.ctx.job.counts = dict(counts)
        self.ctx.job.errors = [progress_error(e) for e in errors]
        self.ctx.job.error_count = error_count
        self.ctx.set_done(done)


def _run(ctx: JobContext, fn) -> None:
    run = ImportRun.objects.select_related("owner").filter(pk=ctx.job.params.get("import")).first()
    if run is None:
        raise JobFailed(_("The import no longer exists."))
    try:
        fn(run=run, progress=JobProgress(ctx))
    except FileRejected as exc:
        raise JobFailed(exc.message) from exc
    except Exception:
        services.mark_failed(
            run,
            _(
                "The import stopped because of an unexpected error. The rows committed before "
                "stay imported; retry the job to continue after them."
            ),
        )
        raise


@register_job(services.CHECK_JOB, heavy=True)
def check_import(ctx: JobContext) -> None:
    """Dry run: read, validate and match every row; write nothing."""
    _run(ctx, services.run_check)


@register_job(services.RUN_JOB, heavy=True)
def run_import(ctx: JobContext) -> None:
    """Import in committed batches, from the last checkpoint on; then the planner learns the new
    sizes of the tables (a large import changes which index a list should use)."""
    _run(ctx, services.run_import)
    refresh_planner_statistics()
