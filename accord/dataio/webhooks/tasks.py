"""Background work of the webhooks app.

* `deliver_webhook`: one attempt of one delivery, a plain task on the "webhooks" queue (no
  `core.Job` row: deliveries are many and have their own log); retries are enqueued with
  `run_after` by the service.
* `webhooks.sweep` (periodic job): requeue deliveries a crashed worker left behind and delete
  finished deliveries older than the kept log.
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from accord.core.jobs import JobContext, register_job, register_periodic

from . import services

QUEUE = "webhooks"
SWEEP = "webhooks.sweep"


@task(queue_name=QUEUE)
def deliver_webhook(delivery_id: int) -> str:
    return services.attempt_delivery(delivery_id=delivery_id)


@register_job(SWEEP, heavy=False, queue=QUEUE)
def sweep_deliveries(ctx: JobContext) -> None:
    counts = services.sweep()
    ctx.advance(sum(counts.values()), **counts)


register_periodic(SWEEP, every=timedelta(minutes=10))
