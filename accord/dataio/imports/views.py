"""Import pages: list, upload, column mapping, dry-run result with decisions, progress, saved
mappings. Thin: parse the request, call `services` or `selectors`, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.core import jobs, visibility
from accord.core.views import apply_validation_error

from . import columns, selectors, services
from .choices import ImportStatus
from .forms import ImportFilterForm, ImportMappingForm, ImportUploadForm, SimilarDecisionsForm
from .models import ImportRun

PER_PAGE = 25


def _require_writer(request: HttpRequest) -> None:
    if not visibility.may_write(request.user):
        raise PermissionDenied(_("Your role may only read; importing changes records."))


def _get_run(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(selectors.import_list(request.user), pk=pk)


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.import_list(
        request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "imports/import_list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "querystring": query.urlencode(),
            "filtered": any(filters.values()),
            "may_write": visibility.may_write(request.user),
        },
    )


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.import_create(
                actor=request.user,
                file=data["file"],
                kind=data["kind"],
                on_duplicate=data["on_duplicate"],
                saved_mapping=data["saved_mapping"],
                filename=data["file"].name,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("imports:import_mapping", pk=run.pk)
    return render(request, "imports/import_upload.html", {"form": form})


@login_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    _require_writer(request)
    if run.is_running or run.status == ImportStatus.DONE or run.rows_committed:
        return redirect(run.get_absolute_url())
    form = ImportMappingForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_set_mapping(
                actor=request.user,
                run=run,
                mapping=form.mapping(),
                on_duplicate=form.cleaned_data["on_duplicate"],
                fuzzy_default=form.cleaned_data["fuzzy_default"],
                save_as=form.cleaned_data["save_as"],
            )
            services.import_start_check(actor=request.user, run=run)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            return redirect(run.get_absolute_url())
    return render(
        request,
        "imports/import_mapping.html",
        {
            "run": run,
            "form": form,
            "fields": columns.fields_for(run.kind),
            "missing": columns.missing_required(run.kind, run.mapping),
        },
    )


def _job_context(request: HttpRequest, job: Any) -> dict[str, Any]:
    if job is None:
        return {}
    return {
        "job": job,
        "stalled": jobs.is_stalled(job),
        "can_retry": jobs.can_retry(request.user, job),
    }


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The dry-run result (counts, errors, similar names to decide) or the import's progress."""
    run = _get_run(request, pk)
    job = run.import_job if run.import_job_id else run.check_job
    ctx = {
        "run": run,
        "report": run.report or {},
        "result": run.result or {},
        "decisions_form": SimilarDecisionsForm(run=run)
        if run.status == ImportStatus.CHECKED
        else None,
        "may_write": visibility.may_write(request.user),
        **_job_context(request, job),
    }
    if getattr(request, "htmx", False) and request.GET.get("part") == "state":
        return render(request, "imports/partials/import_state.html", ctx)
    return render(request, "imports/import_detail.html", ctx)


@login_required
@require_POST
def import_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    _require_writer(request)
    form = SimilarDecisionsForm(request.POST, run=run)
    if form.is_valid():
        try:
            services.import_set_decisions(actor=request.user, run=run, decisions=form.decisions())
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Your decisions are saved; the counts follow them."))
    return redirect(run.get_absolute_url())


@login_required
@require_POST
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    _require_writer(request)
    try:
        if request.POST.get("decisions") == "1":
            form = SimilarDecisionsForm(request.POST, run=run)
            if form.is_valid():
                services.import_set_decisions(
                    actor=request.user, run=run, decisions=form.decisions()
                )
        services.import_start(actor=request.user, run=run)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The import has started."))
    return redirect(run.get_absolute_url())


@login_required
@require_POST
def import_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the dry run again (e.g. after records were changed meanwhile)."""
    run = _get_run(request, pk)
    _require_writer(request)
    try:
        services.import_start_check(actor=request.user, run=run)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect(run.get_absolute_url())


@login_required
@require_POST
def import_delete(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    _require_writer(request)
    try:
        services.import_delete(actor=request.user, run=run)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect(run.get_absolute_url())
    messages.success(request, _("The import “%(file)s” is deleted.") % {"file": run.filename})
    return redirect("imports:import_list")


@login_required
def mapping_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "imports/mapping_list.html",
        {
            "mappings": selectors.saved_mapping_list(request.user),
            "may_write": visibility.may_write(request.user),
        },
    )


@login_required
@require_POST
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_object_or_404(selectors.saved_mapping_list(request.user), pk=pk)
    _require_writer(request)
    services.saved_mapping_delete(actor=request.user, mapping=mapping)
    messages.success(request, _("The mapping “%(name)s” is deleted.") % {"name": mapping.name})
    return redirect("imports:mapping_list")
