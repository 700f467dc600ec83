"""Export jobs: one list as CSV/XLSX (`exports.list`), everything a user may see as JSON
(`exports.full_json`). Both only write a file: re-running one writes the file again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accord.core.jobs import JobContext, JobFailed, register_job
from accord.core.views import list_export_table

from . import selectors, services


@register_job(services.LIST_EXPORT_JOB, heavy=True)
def export_list(ctx: JobContext) -> None:
    params = ctx.job.params or {}
    user = ctx.job.started_by
    if user is None or not user.is_active:
        raise JobFailed(_("The user who asked for this export no longer exists or is inactive."))
    fmt = params.get("format", "")
    if fmt not in services.FORMATS:
        raise JobFailed(_("Unknown export format “%(fmt)s”.") % {"fmt": fmt})
    with services.user_time_zone(user):
        try:
            table = list_export_table(str(params.get("list", "")), user, params.get("query", ""))
        except LookupError:
            raise JobFailed(_("This list cannot be exported (any more).")) from None
        queryset = table.export_queryset()
        total = selectors.count_rows(queryset) if queryset is not None else len(table.rows)
        headers = [column.header for column in table.export_columns()]
        filename = params.get("filename") or services.export_filename("export", fmt)
        services.write_list_file(
            ctx,
            headers=headers,
            rows=table.export_rows(),
            total=total,
            fmt=fmt,
            filename=filename,
        )


@register_job(services.FULL_EXPORT_JOB, heavy=True)
def export_everything(ctx: JobContext) -> None:
    services.run_full_export(ctx)
