"""Pages of the bank statement import: upload (a job imports it, with progress), the statement
with its rows and their outcome, manual assignment of unmatched rows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from accord.core.jobs import start_job
from accord.core.views import (
    ModelViews,
    ObjectDetailView,
    apply_validation_error,
    message_validation_error,
)

from .. import selectors, services
from ..filtersets import BankStatementFilterSet
from ..forms import BankRowAssignForm, BankStatementForm
from ..models import BankStatement, BankStatementRow
from ..tables import BankStatementTable
from .sales import _changeable, _WriteMixin

MAX_STATEMENT_BYTES = 5 * 1024 * 1024


class BankStatementDetailView(ObjectDetailView):
    def get_queryset(self):
        return super().get_queryset().defer(None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        rows = list(selectors.statement_rows(self.request.user, self.object))
        ctx["rows"] = rows
        ctx["job"] = self.object.job
        if ctx["can_change"] and any(r.status == "unmatched" for r in rows):
            ctx["assign_form"] = BankRowAssignForm(user=self.request.user)
        return ctx


class BankStatementViews(ModelViews):
    model = BankStatement
    selector = staticmethod(selectors.statement_list)
    namespace = "commerce"
    filterset_class = BankStatementFilterSet
    table_class = BankStatementTable
    delete_service = staticmethod(services.statement_delete)
    detail_view = BankStatementDetailView
    list_template = "commerce/bankstatement_list.html"
    detail_template = "commerce/bankstatement_detail.html"


class BankStatementUploadView(_WriteMixin, View):
    template_name = "commerce/bankstatement_upload.html"

    def get(self, request):
        return render(request, self.template_name, {"form": BankStatementForm()})

    def post(self, request):
        form = BankStatementForm(data=request.POST, files=request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_STATEMENT_BYTES:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                raw = upload.read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("cp1252", errors="replace")
                try:
                    statement = services.statement_create(
                        actor=request.user, name=upload.name, content=text
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    job = start_job(
                        request.user,
                        "commerce.bank_import",
                        params={"statement": statement.pk},
                        label=_("Bank statement %(name)s") % {"name": statement.name},
                    )
                    services.statement_attach_job(statement=statement, job=job)
                    messages.success(request, _("The statement is being imported."))
                    return HttpResponseRedirect(statement.get_absolute_url())
        return render(request, self.template_name, {"form": form})


class BankRowAssignView(_WriteMixin, View):
    def post(self, request, pk: int):
        row = get_object_or_404(
            BankStatementRow.objects.visible_to(request.user).select_related("statement"), pk=pk
        )
        statement = _changeable(
            request.user, selectors.statement_list(request.user), row.statement_id
        )
        form = BankRowAssignForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                if "ignore" in request.POST:
                    services.bank_row_ignore(actor=request.user, row=row)
                else:
                    services.bank_row_assign(
                        actor=request.user,
                        row=row,
                        invoice=form.cleaned_data.get("invoice"),
                        organization=form.cleaned_data.get("organization"),
                    )
            except ValidationError as exc:
                message_validation_error(request, exc)
            else:
                messages.success(request, _("Row %(n)d booked.") % {"n": row.row_number})
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return HttpResponseRedirect(statement.get_absolute_url())
