"""Background jobs: one `Job` row per long operation, run through Django's Tasks API.

An app registers a handler for a job kind in its `tasks.py` (autodiscovered at start-up):

    @register_job("imports.run", heavy=True)
    def run_import(ctx: JobContext) -> None:
        ctx.set_total(rows)
        ...
        ctx.advance(100, created=90, skipped=10)
        ctx.save_checkpoint({"row": 100})

`start_job` creates the row and enqueues its task in the caller's transaction, so the data that asks
for a job and the job commit (or roll back) together. Handlers are resumable: a retried job runs the
same handler again with the checkpoint it saved last.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_tasks import task

from .models import Job, PeriodicSchedule
from .visibility import ROLE_ADMIN, is_authenticated

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000
PROGRESS_WRITE_INTERVAL = 0.5  # seconds between progress writes while a handler advances
STALE_AFTER = timedelta(minutes=5)  # a running job with no sign of life for this long is stalled


class JobFailed(Exception):
    """Raised by a handler to fail its job with a message the user reads."""


class JobLimitReached(ValidationError):
    """The user already has as many heavy jobs queued or running as allowed."""


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable[[JobContext], Any]
    heavy: bool
    queue: str


@dataclass(frozen=True)
class Periodic:
    kind: str
    every: timedelta


_kinds: dict[str, JobKind] = {}
_periodic: dict[str, Periodic] = {}


def register_job(name: str, *, heavy: bool = True, queue: str = "default"):
    """Decorator: `handler(ctx)` runs jobs of kind `name`."""

    def decorator(handler: Callable[[JobContext], Any]) -> Callable[[JobContext], Any]:
        _kinds[name] = JobKind(name=name, handler=handler, heavy=heavy, queue=queue)
        return handler

    return decorator


def register_periodic(kind: str, *, every: timedelta) -> None:
    """Have the worker start a job of `kind` (no user) every `every`."""
    _periodic[kind] = Periodic(kind=kind, every=every)


# What a job counts, as the progress box names it (a handler's own keys fall back to the key).
COUNT_LABELS = {
    "create": pgettext_lazy("job count", "To create"),
    "update": pgettext_lazy("job count", "To update"),
    "skip": pgettext_lazy("job count", "To skip"),
    "error": pgettext_lazy("job count", "With errors"),
    "created": pgettext_lazy("job count", "Created"),
    "updated": pgettext_lazy("job count", "Updated"),
    "unchanged": pgettext_lazy("job count", "Unchanged"),
    "skipped": pgettext_lazy("job count", "Skipped"),
    "failed": pgettext_lazy("job count", "Failed"),
    "duplicates": pgettext_lazy("job count", "Duplicates"),
    "similar": pgettext_lazy("job count", "Similar names"),
    "queued": pgettext_lazy("job count", "Queued"),
    "refreshed": pgettext_lazy("job count", "Refreshed"),
    "requeued": pgettext_lazy("job count", "Queued again"),
    "deleted": pgettext_lazy("job count", "Deleted"),
    "ran": pgettext_lazy("job count", "Run"),
}


def labelled_counts(job: Job) -> list[tuple[str, int]]:
    """The job's counts with readable, translated names, in a stable order."""
    order = list(COUNT_LABELS)
    items = sorted(
        (job.counts or {}).items(),
        key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]),
    )
    return [(str(COUNT_LABELS.get(k, k.replace("_", " ").capitalize())), v) for k, v in items]


def job_kind(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No job kind {name!r} is registered.") from None


def periodic_jobs() -> list[Periodic]:
    return list(_periodic.values())


# --- starting and retrying ------------------------------------------------------------------


def active_jobs(user: Any):
    return Job.objects.filter(
        started_by=user, heavy=True, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )


def _check_limit(user: Any) -> None:
    if user is None:
        return
    limit = settings.ACCORD_MAX_ACTIVE_JOBS_PER_USER
    if active_jobs(user).count() >= limit:
        raise JobLimitReached(
            _(
                "You already have %(count)d jobs queued or running. Wait until one of them "
                "has finished, then start this one."
            )
            % {"count": limit},
            code="job_limit",
        )


def _enqueue(job: Job) -> None:
    kind = job_kind(job.kind)
    result = run_job.using(queue_name=kind.queue).enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def start_job(
    user: Any,
    kind: str,
    *,
    params: dict[str, Any] | None = None,
    label: str = "",
    total: int | None = None,
) -> Job:
    """Create a job and enqueue it in the current transaction (one is opened if there is none)."""
    spec = job_kind(kind)
    with transaction.atomic():
        if spec.heavy:
            _check_limit(user)
        job = Job.objects.create(
            kind=kind,
            label=label[:255],
            heavy=spec.heavy,
            started_by=user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            params=params or {},
            total=total,
        )
        _enqueue(job)
    return job


def is_stalled(job: Job) -> bool:
    """A running job whose worker stopped giving signs of life (killed, machine restarted)."""
    if job.status != Job.Status.RUNNING:
        return False
    last = job.heartbeat_at or job.started_at or job.created_at
    return timezone.now() - last > STALE_AFTER


def _is_admin(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) == ROLE_ADMIN)


def can_see_job(user: Any, job: Job) -> bool:
    return is_authenticated(user) and (job.started_by_id == user.pk or _is_admin(user))


def can_retry(user: Any, job: Job) -> bool:
    return can_see_job(user, job) and (job.status == Job.Status.FAILED or is_stalled(job))


def retry_job(user: Any, job: Job) -> Job:
    """Run a failed (or stalled) job again from its last checkpoint."""
    if not can_see_job(user, job):
        raise PermissionDenied
    if not can_retry(user, job):
        raise ValidationError(_("Only a failed or stalled job can be retried."), code="not_failed")
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not can_retry(user, locked):
            raise ValidationError(_("The job is already running again."), code="not_failed")
        if locked.heavy and locked.started_by_id is not None:
            _check_limit(locked.started_by)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.QUEUED, failure="", finished_at=None, heartbeat_at=None
        )
        locked.refresh_from_db()
        _enqueue(locked)
    return locked


def visible_jobs(user: Any):
    """The jobs a user may see: their own; an administrator sees every job."""
    qs = Job.objects.select_related("started_by")
    if not is_authenticated(user):
        return qs.none()
    if _is_admin(user):
        return qs
    return qs.filter(started_by=user)


# --- running --------------------------------------------------------------------------------


class JobContext:
    """What a handler gets: its job, checkpoint, and cheap progress reporting."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.checkpoint: dict[str, Any] = dict(job.checkpoint or {})
        self._last_write = 0.0
        self._dirty = False

    # progress
    def set_total(self, total: int | None) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total, heartbeat_at=timezone.now())

    def advance(self, n: int = 1, **counts: int) -> None:
        self.job.done += n
        for key, value in counts.items():
            if value:
                self.job.counts[key] = self.job.counts.get(key, 0) + value
        self._dirty = True
        if time.monotonic() - self._last_write >= PROGRESS_WRITE_INTERVAL:
            self.flush()

    def set_done(self, done: int) -> None:
        self.job.done = done
        self._dirty = True
        self.flush()

    def error(self, *, where: str, message: str, **extra: Any) -> None:
        self.job.error_count += 1
        if len(self.job.errors) < MAX_ERRORS_KEPT:
            self.job.errors.append({"where": str(where), "message": str(message), **extra})
        self._dirty = True

    def save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        self.checkpoint = dict(checkpoint)
        self.job.checkpoint = self.checkpoint
        self._dirty = True
        self.flush()

    def flush(self) -> None:
        now = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done,
            counts=self.job.counts,
            errors=self.job.errors,
            error_count=self.job.error_count,
            checkpoint=self.job.checkpoint,
            heartbeat_at=now,
        )
        self._last_write = time.monotonic()
        self._dirty = False

    def attach_file(
        self, filename: str, content: bytes | IO[bytes] | File, content_type: str = ""
    ) -> None:
        """Keep `content` as the job's downloadable result."""
        if isinstance(content, bytes):
            file: File = ContentFile(content)
        elif isinstance(content, File):
            file = content
        else:
            file = File(content)
        if self.job.result_file:
            self.job.result_file.delete(save=False)
        self.job.result_file.save(filename, file, save=False)
        self.job.result_name = filename
        self.job.result_content_type = content_type or "application/octet-stream"
        Job.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name,
            result_name=filename,
            result_content_type=self.job.result_content_type,
        )


def _finish(ctx: JobContext, status: str, failure: str = "") -> None:
    job = ctx.job
    job.status = status
    job.failure = failure
    job.finished_at = timezone.now()
    if status == Job.Status.SUCCEEDED and job.total is None:
        job.total = job.done
    ctx.flush()
    Job.objects.filter(pk=job.pk).update(
        status=status, failure=failure, finished_at=job.finished_at, total=job.total
    )


UNEXPECTED = gettext_lazy(
    "An unexpected error stopped the job. What was saved before it stays saved; "
    "retry the job, and if it fails again, tell your administrator (job %(id)s)."
)


def execute_job(job_id: int) -> str:
    """Run one job to its end; returns its final status. Safe to call twice (retries, crashes)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.Status.SUCCEEDED:
        return "missing" if job is None else job.status
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        started_at=job.started_at or now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    job.refresh_from_db()
    ctx = JobContext(job)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            job_kind(job.kind).handler(ctx)
        except JobFailed as exc:
            _finish(ctx, Job.Status.FAILED, str(exc))
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _finish(ctx, Job.Status.FAILED, str(UNEXPECTED % {"id": job.pk}))
        else:
            _finish(ctx, Job.Status.SUCCEEDED)
    return ctx.job.status


@task()
def run_job(job_id: int) -> str:
    return execute_job(job_id)


def run_jobs_now(limit: int = 1000) -> list[Job]:
    """Run every queued task in this process (tests, `accord import`); returns the jobs run."""
    from django_tasks_db.models import DBTaskResult

    ran: list[int] = []
    for _round in range(limit):
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            break
        result.claim("inline")
        try:
            task_result = result.task_result
            value = result.task.call(*task_result.args, **task_result.kwargs)
            result.set_successful(value)
        except BaseException as exc:
            result.set_failed(exc)
            raise
        if result.task_name.endswith("run_job"):
            ran.append(task_result.args[0])
    return list(Job.objects.filter(pk__in=ran))


# --- periodic jobs --------------------------------------------------------------------------


def start_due_periodic_jobs() -> list[Job]:
    """Start each periodic job that is due. A due schedule is claimed with one conditional
    UPDATE, so with several workers exactly one starts it."""
    started = []
    now = timezone.now()
    for periodic in periodic_jobs():
        schedule, _created = PeriodicSchedule.objects.get_or_create(
            kind=periodic.kind, defaults={"next_run_at": now}
        )
        with transaction.atomic():
            claimed = PeriodicSchedule.objects.filter(pk=schedule.pk, next_run_at__lte=now).update(
                next_run_at=now + periodic.every
            )
            if not claimed:
                continue
            job = start_job(None, periodic.kind, label=periodic.kind)
            PeriodicSchedule.objects.filter(pk=schedule.pk).update(last_job=job)
            started.append(job)
    return started
