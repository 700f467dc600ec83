"""Pages of cases: the generic list, detail, edit, delete and history pages of `core`, plus the
status buttons, the conversation and notes on the case page, the organization page's fragment
and the service-standards page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.charts import Series, bar_chart, line_chart
from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView, ObjectListView

from ..filtersets.cases import CaseFilterSet
from ..forms.cases import (
    CaseForm,
    CaseInteractionForm,
    CaseNoteForm,
    CaseStatusForm,
    ServiceStandardsForm,
)
from ..models import Case, CaseNote, CasePriority, CaseStatus
from ..selectors import cases as selectors
from ..selectors import servicelevels as sl_selectors
from ..services import cases as services
from ..tables.cases import CaseTable

# the buttons offered in each status: (target status, label)
STATUS_BUTTONS: dict[str, list[tuple[str, str]]] = {
    CaseStatus.NEW: [
        (CaseStatus.OPEN, "Take on"),
        (CaseStatus.WAITING, "Wait on client"),
        (CaseStatus.RESOLVED, "Resolve"),
    ],
    CaseStatus.OPEN: [(CaseStatus.WAITING, "Wait on client"), (CaseStatus.RESOLVED, "Resolve")],
    CaseStatus.WAITING: [(CaseStatus.OPEN, "Client answered"), (CaseStatus.RESOLVED, "Resolve")],
    CaseStatus.RESOLVED: [(CaseStatus.CLOSED, "Close"), (CaseStatus.OPEN, "Reopen")],
    CaseStatus.CLOSED: [(CaseStatus.OPEN, "Reopen")],
}


def _button_label(label: str) -> str:
    return {
        "Take on": _("Take on"),
        "Wait on client": _("Wait on client"),
        "Resolve": _("Resolve"),
        "Client answered": _("Client answered"),
        "Close": _("Close"),
        "Reopen": _("Reopen"),
    }[label]


class CaseListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["standards_url"] = reverse("servicedesk:case_standards")
        return ctx


class CaseDetailView(ObjectDetailView):
    """Facts, the service-level clocks, status buttons, the conversation and internal notes."""

    def get_queryset(self):
        return super().get_queryset().select_related("policy", "product")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        case = self.object
        ctx.update(selectors.case_detail(self.request.user, case))
        may_change = ctx["can_change"]
        ctx["status_buttons"] = (
            [(s, _button_label(label)) for s, label in STATUS_BUTTONS.get(case.status, [])]
            if may_change
            else []
        )
        if may_change:
            ctx["note_form"] = CaseNoteForm()
            ctx["interaction_form"] = CaseInteractionForm(
                initial={"subject": f"[{case.number}] {case.subject}"[:300]}
            )
        ctx["user_pk"] = self.request.user.pk
        ctx["sees_everything"] = visibility.sees_everything(self.request.user)
        return ctx


class CaseEditView(ObjectEditView):
    """Open and edit; `?organization=<id>` prefills the client (from the organization page)."""

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        initial.setdefault("priority", CasePriority.NORMAL)
        return initial


class CaseViews(ModelViews):
    model = Case
    selector = staticmethod(selectors.case_list)
    namespace = "servicedesk"
    filterset_class = CaseFilterSet
    table_class = CaseTable
    form_class = CaseForm
    create_service = staticmethod(services.case_create)
    update_service = staticmethod(services.case_update)
    delete_service = staticmethod(services.case_delete)
    list_view = CaseListView
    detail_view = CaseDetailView
    edit_view = CaseEditView
    list_template = "servicedesk/cases/case_list.html"
    detail_template = "servicedesk/cases/case_detail.html"


class CaseActionView(LoginRequiredMixin, View):
    """A POST on one case the user may change (404 when they may not see it)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_case(self, pk: int) -> Case:
        case = get_object_or_404(selectors.case_list(self.request.user), pk=pk)
        if not visibility.can_change(self.request.user, case):
            raise PermissionDenied(_("You may not change this record."))
        return case

    def back(self, case: Case) -> HttpResponseRedirect:
        return HttpResponseRedirect(case.get_absolute_url())

    def fail(self, case: Case, exc: ValidationError) -> HttpResponseRedirect:
        for message in exc.messages:
            messages.error(self.request, message)
        return self.back(case)


class CaseStatusView(CaseActionView):
    def post(self, request, pk: int):
        case = self.get_case(pk)
        form = CaseStatusForm(data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return self.back(case)
        try:
            case = services.case_set_status(
                actor=request.user, case=case, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            return self.fail(case, exc)
        messages.success(
            request,
            _("Case %(number)s is now “%(status)s”.")
            % {"number": case.number, "status": case.get_status_display()},
        )
        return self.back(case)


class CaseNoteAddView(CaseActionView):
    def post(self, request, pk: int):
        case = self.get_case(pk)
        form = CaseNoteForm(data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Write the note."))
            return self.back(case)
        try:
            services.case_note_create(actor=request.user, case=case, text=form.cleaned_data["text"])
        except ValidationError as exc:
            return self.fail(case, exc)
        messages.success(request, _("Note added."))
        return self.back(case)


class CaseNoteDeleteView(CaseActionView):
    def post(self, request, pk: int):
        note = get_object_or_404(
            CaseNote.objects.filter(visibility.visibility_q(CaseNote, request.user)), pk=pk
        )
        services.case_note_delete(actor=request.user, note=note)
        messages.success(request, _("Note deleted."))
        return self.back(note.case)


class CaseInteractionAddView(CaseActionView):
    def post(self, request, pk: int):
        case = self.get_case(pk)
        form = CaseInteractionForm(data=request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"{label}: {' '.join(errors)}" if label else " ".join(errors)
                )
            return self.back(case)
        try:
            services.case_add_interaction(actor=request.user, case=case, data=form.service_data())
        except ValidationError as exc:
            return self.fail(case, exc)
        messages.success(request, _("Added to the conversation."))
        return self.back(case)


class OrganizationCasesView(LoginRequiredMixin, View):
    """The open cases of one organization, as a fragment for the organization page."""

    def get(self, request, pk: int):
        rows, count = selectors.open_cases_of_organization(request.user, pk)
        return render(
            request,
            "servicedesk/cases/organization_cases.html",
            {
                "cases": rows,
                "count": count,
                "organization_id": pk,
                "may_write": visibility.may_write(request.user),
            },
        )


class ServiceStandardsView(LoginRequiredMixin, View):
    """Cases opened and resolved, response and resolution times and the breach rate, per month,
    team and client, as charts with the numbers in tables."""

    template_name = "servicedesk/cases/standards.html"

    def get(self, request):
        form = ServiceStandardsForm(data=request.GET or None, user=request.user)
        data = sl_selectors.service_standards(request.user, **form.selector_kwargs())
        ctx: dict[str, Any] = {"form": form, "data": data}
        ctx["month_rows"] = [
            {"label": label, "figures": f}
            for label, f in zip(data.labels, data.monthly, strict=True)
        ]
        if data.total.opened or data.total.resolved:
            ctx["volume_chart"] = bar_chart(
                title=_("Cases opened and resolved"),
                labels=data.labels,
                series=[
                    Series(_("Opened"), [f.opened for f in data.monthly]),
                    Series(_("Resolved"), [f.resolved for f in data.monthly]),
                ],
                description=_("Cases opened and resolved per month."),
            )
            ctx["time_chart"] = line_chart(
                title=_("Median business hours"),
                labels=data.labels,
                series=[
                    Series(_("First response"), [f.first_response_median for f in data.monthly]),
                    Series(_("Resolution"), [f.resolution_median for f in data.monthly]),
                ],
                description=_("Median business hours to the first response and to resolution."),
            )
            ctx["breach_chart"] = bar_chart(
                title=_("Breach rate (%)"),
                labels=data.labels,
                series=[Series(_("Breach rate"), [f.breach_rate for f in data.monthly])],
                description=_("Share of the cases opened each month that missed a target."),
            )
        ctx["api_url"] = f"{reverse('case-standards')}?{request.GET.urlencode()}"
        return render(request, self.template_name, ctx)
