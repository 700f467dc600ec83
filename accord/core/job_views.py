"""Job pages: the user's jobs, one job with a live progress box (htmx polling), retry, download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accord.core.views import message_validation_error

from . import jobs
from .models import Job
from .navigation import DATA, menu


def _get_job(request, pk: int) -> Job:
    job = get_object_or_404(jobs.visible_jobs(request.user), pk=pk)
    return job


def _context(request, job: Job) -> dict:
    return {
        "job": job,
        "stalled": jobs.is_stalled(job),
        "can_retry": jobs.can_retry(request.user, job),
    }


@login_required
def data_hub(request):
    """One page for everything that brings data in or takes it out; apps register its entries
    with `register_menu_item(MenuItem(..., section=DATA))`."""
    return render(
        request,
        "core/data_hub.html",
        {
            "entries": menu(DATA, user=request.user),
            "recent_jobs": jobs.visible_jobs(request.user).filter(started_by=request.user)[:5],
        },
    )


@login_required
def job_list(request):
    qs = jobs.visible_jobs(request.user)
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(label__icontains=q) | qs.filter(kind__icontains=q)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "core/job_list.html",
        {
            "page_obj": page,
            "statuses": Job.Status.choices,
            "status": status,
            "q": q,
            "show_user": jobs.visible_jobs(request.user).exclude(started_by=request.user).exists(),
        },
    )


@login_required
def job_detail(request, pk: int):
    job = _get_job(request, pk)
    return render(request, "core/job_detail.html", _context(request, job))


@login_required
def job_progress(request, pk: int):
    """The progress box alone, polled by htmx until the job has finished."""
    job = _get_job(request, pk)
    return render(request, "core/partials/job_progress.html", _context(request, job))


@login_required
@require_POST
def job_retry(request, pk: int):
    job = _get_job(request, pk)
    try:
        jobs.retry_job(request.user, job)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        message_validation_error(request, exc)
    return redirect(job.get_absolute_url())


@login_required
def job_download(request, pk: int):
    job = _get_job(request, pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name or job.result_file.name.rsplit("/", 1)[-1],
        content_type=job.result_content_type or "application/octet-stream",
    )
