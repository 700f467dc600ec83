"""Export pages: a list as CSV/XLSX (directly when small, else as a job), and "Export my data".

`/exports/list/<list name>/<csv|xlsx>/?<the list's query>`: GET shows what would be exported,
POST exports. The list is rebuilt by `accord.core.views.list_export_table` from the same query
the list page shows (filters, search, sort) and the visibility rule of its selector.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from accord.core.views import list_export_table, list_view_class, message_validation_error

from . import selectors, services, writers

COUNT_CAP = 10_000  # the "Export my data" page counts up to this many records of each kind


def _query(request) -> str:
    query = request.GET.copy()
    for key in ("page", "per_page"):
        query.pop(key, None)
    return query.urlencode()


class ListExportView(LoginRequiredMixin, View):
    """Export one list as it is filtered and sorted on its page."""

    template_name = "exports/list_export.html"

    def setup_export(self, request, list_name: str, fmt: str) -> None:
        if fmt not in services.FORMATS:
            raise Http404
        try:
            view_class, initkwargs = list_view_class(list_name)
            self.table = list_export_table(list_name, request.user, request.GET)
        except LookupError:
            raise Http404 from None
        model = initkwargs.get("model") or view_class.model
        self.list_name = list_name
        self.fmt = fmt
        self.title = str(model._meta.verbose_name_plural)
        self.query = _query(request)
        self.list_url = f"{reverse(list_name)}?{self.query}" if self.query else reverse(list_name)
        self.filename = services.export_filename(self.title, fmt)

    def count(self) -> int:
        """How many rows, counting at most one past the direct-export limit."""
        limit = services.direct_export_limit()
        queryset = self.table.export_queryset()
        if queryset is None:
            return len(self.table.rows)
        return selectors.count_capped(queryset, limit + 1)

    def get(self, request, list_name: str, fmt: str):
        self.setup_export(request, list_name, fmt)
        rows = self.count()
        limit = services.direct_export_limit()
        ctx: dict[str, Any] = {
            "title": self.title,
            "fmt": fmt,
            "rows": rows,
            "limit": limit,
            "in_background": rows > limit,
            "list_url": self.list_url,
            "columns": [c.header for c in self.table.export_columns()],
            "action": request.get_full_path(),
        }
        return render(request, self.template_name, ctx)

    def post(self, request, list_name: str, fmt: str):
        self.setup_export(request, list_name, fmt)
        if self.count() <= services.direct_export_limit():
            return self.direct_response()
        label = _("%(list)s (%(format)s)") % {"list": capfirst(self.title), "format": fmt.upper()}
        try:
            job = services.start_list_export(
                user=request.user,
                list_name=list_name,
                query=self.query,
                fmt=fmt,
                label=label,
                filename=self.filename,
            )
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(self.list_url)
        messages.info(
            request,
            _(
                "The export has more than %(limit)d rows and runs in the background; "
                "download it here when it is done."
            )
            % {"limit": services.direct_export_limit()},
        )
        return HttpResponseRedirect(job.get_absolute_url())

    def direct_response(self):
        headers = [c.header for c in self.table.export_columns()]
        rows = self.table.export_rows()
        if self.fmt == "csv":
            response: Any = StreamingHttpResponse(
                writers.csv_chunks(headers, rows), content_type=writers.CSV_CONTENT_TYPE
            )
            response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
            return response
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        writers.write_xlsx(headers, rows, tmp, title=self.title)
        tmp.seek(0)
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=self.filename,
            content_type=writers.XLSX_CONTENT_TYPE,
        )


class MyDataView(LoginRequiredMixin, View):
    """Everything the user may see, as one JSON file made in the background."""

    template_name = "exports/my_data.html"

    def get(self, request):
        labels = {
            "tags": _("Tags"),
            "organizations": _("Organizations"),
            "people": _("People"),
            "relationships": _("Relationships"),
            "interactions": _("Interactions"),
            "follow_ups": _("Follow-ups"),
        }
        counts = selectors.full_export_counts(request.user, cap=COUNT_CAP + 1)
        ctx = {
            "jobs": selectors.export_jobs(request.user, services.FULL_EXPORT_JOB),
            "counts": [(labels.get(kind, kind), n, n > COUNT_CAP) for kind, n in counts.items()],
            "cap": COUNT_CAP,
        }
        return render(request, self.template_name, ctx)

    def post(self, request):
        try:
            job = services.start_full_export(user=request.user)
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(reverse("exports:my_data"))
        return HttpResponseRedirect(job.get_absolute_url())
