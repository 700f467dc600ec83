"""A job kind for tests that run real worker processes (imported by those processes)."""

import time

from accord.core.jobs import JobContext, register_job


@register_job("testing.sleep", heavy=False)
def sleep_a_little(ctx: JobContext) -> None:
    time.sleep(float(ctx.job.params.get("seconds", 0.05)))
    ctx.advance(1, ran=1)
