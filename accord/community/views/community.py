"""Pages of the community app: the generic list, detail, edit and history pages of `core` for
projects, assessments, engagement plans, concerns and consultations, plus the overview with the
power–interest grid, re-assessment, planned contacts, the concern workflow and the fragments on
the organization and person pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView
from accord.parties.models import Organization, Person

from .. import services
from ..choices import OPEN_CONCERN_STATUSES, ConcernStatus, Quadrant
from ..filtersets.community import (
    ConcernFilterSet,
    ConsultationFilterSet,
    EngagementPlanFilterSet,
    StakeholderAssessmentFilterSet,
    StakeholderProjectFilterSet,
)
from ..forms.community import (
    ConcernForm,
    ConcernTransitionForm,
    ConsultationForm,
    EngagementPlanForm,
    GridFilterForm,
    PlannedEngagementForm,
    StakeholderAssessmentForm,
    StakeholderProjectForm,
)
from ..models import (
    Concern,
    Consultation,
    EngagementPlan,
    StakeholderAssessment,
    StakeholderProject,
)
from ..selectors import community as selectors
from ..tables.community import (
    ConcernTable,
    ConsultationTable,
    EngagementPlanTable,
    StakeholderAssessmentTable,
    StakeholderProjectTable,
)
from .charts import grid_chart, history_chart

NS = "community"


def _ids(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and int(value) < 2**63 else None


def grid_rows(grid: selectors.Grid) -> list[dict[str, Any]]:
    """The table beside the grid: one row per stakeholder, current and earlier position."""
    rows = []
    for point in grid.points:
        move = point.movement
        rows.append(
            {
                "point": point,
                "current": point.current,
                "earlier": point.earlier,
                "quadrant": Quadrant(point.quadrant).label,
                "quadrant_value": point.quadrant,
                "moved": move is not None and move.moved,
                "power_change": move.power if move else None,
                "interest_change": move.interest if move else None,
            }
        )
    return rows


def quadrant_labels() -> dict[str, Any]:
    return {q.value: q.label for q in Quadrant}


# --- overview ------------------------------------------------------------------------------------
class OverviewView(LoginRequiredMixin, View):
    """Community relations at a glance: the active projects, the power–interest grid (filter by
    project and category) and the concerns waiting for an answer."""

    template_name = "community/overview.html"

    def get(self, request):
        form = GridFilterForm(data=request.GET or None, user=request.user)
        project, category = None, ""
        if form.is_bound and form.is_valid():
            project = form.cleaned_data.get("project")
            category = form.cleaned_data.get("category") or ""
        grid = selectors.power_interest_grid(request.user, project=project, category=category)
        concerns = selectors.concern_list(request.user)
        today = timezone.localdate()
        ctx = {
            "form": form,
            "grid": grid,
            "rows": grid_rows(grid),
            "chart": grid_chart(grid) if grid.points else None,
            "quadrants": quadrant_labels(),
            "projects": list(selectors.project_list(request.user).filter(is_active=True)[:12]),
            "open_concerns": concerns.filter(status__in=OPEN_CONCERN_STATUSES).count(),
            "overdue_concerns": concerns.filter(selectors.overdue_q(today)).count(),
            "api_url": f"{reverse('stakeholderassessment-grid')}?{request.GET.urlencode()}",
            "may_write": visibility.may_write(request.user),
        }
        return render(request, self.template_name, ctx)


# --- projects ------------------------------------------------------------------------------------
class ProjectDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        detail = selectors.project_detail(self.request.user, self.object)
        ctx.update(detail)
        ctx["rows"] = grid_rows(detail["grid"])
        ctx["chart"] = grid_chart(detail["grid"]) if detail["grid"].points else None
        ctx["quadrants"] = quadrant_labels()
        return ctx


class StakeholderProjectViews(ModelViews):
    model = StakeholderProject
    selector = staticmethod(selectors.project_list)
    namespace = NS
    filterset_class = StakeholderProjectFilterSet
    table_class = StakeholderProjectTable
    form_class = StakeholderProjectForm
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)
    delete_service = staticmethod(services.project_delete)
    detail_view = ProjectDetailView
    detail_template = "community/project_detail.html"
    list_template = "community/list.html"


# --- assessments ---------------------------------------------------------------------------------
class AssessmentEditView(ObjectEditView):
    """Create and edit; `?from=<id>` starts a re-assessment from that assessment's values,
    `?organization=`, `?person=`, `?project=` prefill a new one."""

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        previous = _ids(self.request, "from")
        if previous is not None:
            row = selectors.assessment_list(self.request.user).filter(pk=previous).first()
            if row is not None:
                initial.update(services.reassessment_initial(row))
        return initial


class AssessmentDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        history = selectors.stakeholder_history(
            self.request.user,
            organization=obj.organization_id,
            person=obj.person_id if not obj.organization_id else None,
            project=obj.project_id,
        )
        ctx["history"] = history
        ctx["history_chart"] = history_chart(history) if len(history) > 1 else None
        ctx["reassess_url"] = f"{reverse('community:stakeholderassessment_add')}?from={obj.pk}"
        return ctx


class StakeholderAssessmentViews(ModelViews):
    model = StakeholderAssessment
    selector = staticmethod(selectors.assessment_list)
    namespace = NS
    filterset_class = StakeholderAssessmentFilterSet
    table_class = StakeholderAssessmentTable
    form_class = StakeholderAssessmentForm
    create_service = staticmethod(services.assessment_create)
    update_service = staticmethod(services.assessment_update)
    delete_service = staticmethod(services.assessment_delete)
    edit_view = AssessmentEditView
    detail_view = AssessmentDetailView
    detail_template = "community/assessment_detail.html"
    list_template = "community/list.html"


# --- engagement plans ----------------------------------------------------------------------------
class PlanDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["items"] = selectors.plan_items(self.request.user, self.object)
        ctx["today"] = timezone.localdate()
        ctx["item_form"] = kwargs.get("item_form") or PlannedEngagementForm(
            user=self.request.user, initial={"planned_on": timezone.localdate()}
        )
        return ctx


class EngagementPlanViews(ModelViews):
    model = EngagementPlan
    selector = staticmethod(selectors.plan_list)
    namespace = NS
    filterset_class = EngagementPlanFilterSet
    table_class = EngagementPlanTable
    form_class = EngagementPlanForm
    create_service = staticmethod(services.plan_create)
    update_service = staticmethod(services.plan_update)
    delete_service = staticmethod(services.plan_delete)
    detail_view = PlanDetailView
    detail_template = "community/plan_detail.html"
    list_template = "community/list.html"


class _WriteView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)


class PlannedEngagementAddView(_WriteView):
    """Add a planned contact to a plan (the form on the plan's page)."""

    def post(self, request, pk: int):
        plan = get_object_or_404(selectors.plan_list(request.user), pk=pk)
        if not visibility.can_change(request.user, plan):
            raise PermissionDenied(_("You may not change this record."))
        form = PlannedEngagementForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                services.planned_engagement_create(
                    actor=request.user, data={**form.service_data(), "plan": plan}
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Planned contact added."))
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
        return HttpResponseRedirect(plan.get_absolute_url())


class PlannedEngagementChangeView(_WriteView):
    """Mark a planned contact done (optionally with the interaction), or remove it."""

    def post(self, request, pk: int):
        item = get_object_or_404(selectors.planned_engagement_list(request.user), pk=pk)
        if not visibility.can_change(request.user, item):
            raise PermissionDenied(_("You may not change this record."))
        url = item.plan.get_absolute_url()
        try:
            if request.POST.get("action") == "delete":
                services.planned_engagement_delete(actor=request.user, instance=item)
                messages.success(request, _("Planned contact removed."))
            else:
                data: dict[str, Any] = {"done": request.POST.get("done", "1") == "1"}
                interaction = request.POST.get("interaction", "")
                if interaction.isdigit():
                    data["interaction"] = int(interaction)
                services.planned_engagement_update(actor=request.user, instance=item, data=data)
                messages.success(request, _("Planned contact saved."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(url)


# --- concerns ------------------------------------------------------------------------------------
class ConcernEditView(ObjectEditView):
    """`?organization=`, `?person=`, `?project=`, `?consultation=` prefill a new concern; a
    consultation brings its project along."""

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        consultation = _ids(self.request, "consultation")
        if consultation is not None and "project" not in self.request.GET:
            found = selectors.consultation_list(self.request.user).filter(pk=consultation).first()
            if found is not None and found.project_id:
                initial["project"] = found.project_id
        return initial


class ConcernDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.concern_detail(self.request.user, self.object))
        labels = dict(ConcernStatus.choices)
        ctx["transitions"] = [
            {
                "value": s,
                "label": labels[s],
                "reopen": self.object.status == ConcernStatus.RESOLVED
                and s == ConcernStatus.IN_PROGRESS,
            }
            for s in services.allowed_transitions(self.object)
        ]
        ctx["statuses"] = [
            {"value": v, "label": label, "index": i}
            for i, (v, label) in enumerate(ConcernStatus.choices)
        ]
        ctx["today"] = timezone.localdate()
        return ctx


class ConcernViews(ModelViews):
    model = Concern
    selector = staticmethod(selectors.concern_list)
    namespace = NS
    filterset_class = ConcernFilterSet
    table_class = ConcernTable
    form_class = ConcernForm
    create_service = staticmethod(services.concern_create)
    update_service = staticmethod(services.concern_update)
    delete_service = staticmethod(services.concern_delete)
    edit_view = ConcernEditView
    detail_view = ConcernDetailView
    detail_template = "community/concern_detail.html"
    list_template = "community/list.html"


class ConcernTransitionView(_WriteView):
    """The workflow buttons: move a concern to the next status (reopen needs a reason)."""

    def post(self, request, pk: int):
        concern = get_object_or_404(selectors.concern_list(request.user), pk=pk)
        if not visibility.can_change(request.user, concern):
            raise PermissionDenied(_("You may not change this record."))
        form = ConcernTransitionForm(data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return HttpResponseRedirect(concern.get_absolute_url())
        try:
            services.concern_transition(
                actor=request.user,
                concern=concern,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The concern is now “%(status)s”.") % {"status": concern.get_status_display()},
            )
        return HttpResponseRedirect(concern.get_absolute_url())


# --- consultations -------------------------------------------------------------------------------
class ConsultationDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.consultation_detail(self.request.user, self.object))
        return ctx


class ConsultationViews(ModelViews):
    model = Consultation
    selector = staticmethod(selectors.consultation_list)
    namespace = NS
    filterset_class = ConsultationFilterSet
    table_class = ConsultationTable
    form_class = ConsultationForm
    create_service = staticmethod(services.consultation_create)
    update_service = staticmethod(services.consultation_update)
    delete_service = staticmethod(services.consultation_delete)
    detail_view = ConsultationDetailView
    detail_template = "community/consultation_detail.html"
    list_template = "community/list.html"


# --- fragments on the organization and person pages -----------------------------------------------
class PartyCommunityView(LoginRequiredMixin, View):
    """The current assessments and open concerns of one organization or person (a fragment)."""

    model: type[Organization] | type[Person] = Organization

    def get(self, request, pk: int):
        party = selectors.visible_party(request.user, self.model, pk)
        if party is None:
            raise Http404
        key = "organization" if self.model is Organization else "person"
        summary = selectors.party_summary(request.user, **{key: pk})
        return render(
            request,
            "community/party_fragment.html",
            {
                **summary,
                "key": key,
                "party": party,
                "may_write": visibility.may_write(request.user),
            },
        )
