"""Pages of opportunities, declared on the generic views of `core`, plus the small line forms
on the opportunity page (each calls a service and returns to the page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, message_validation_error

from .. import selectors, services
from ..filtersets import OpportunityFilterSet
from ..forms import OpportunityForm, OpportunityLineForm
from ..models import Opportunity
from ..tables import OpportunityTable


class OpportunityDetailView(ObjectDetailView):
    """Facts, product lines (with a form to add one) and the stage history with time in stage."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.opportunity_detail(self.request.user, self.object))
        if ctx["can_change"]:
            ctx.setdefault("line_form", OpportunityLineForm(user=self.request.user))
        return ctx


class OpportunityViews(ModelViews):
    model = Opportunity
    selector = staticmethod(selectors.opportunity_list)
    namespace = "pipeline"
    filterset_class = OpportunityFilterSet
    table_class = OpportunityTable
    form_class = OpportunityForm
    create_service = staticmethod(services.opportunity_create)
    update_service = staticmethod(services.opportunity_update)
    delete_service = staticmethod(services.opportunity_delete)
    detail_view = OpportunityDetailView
    detail_template = "pipeline/opportunity_detail.html"
    list_template = "pipeline/board/opportunity_list.html"  # adds the links to board and report


class _LineViewBase(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)


class OpportunityLineAddView(_LineViewBase):
    def post(self, request, pk: int):
        opportunity = get_object_or_404(selectors.opportunity_list(request.user), pk=pk)
        if not visibility.can_change(request.user, opportunity):
            raise PermissionDenied(_("You may not change this record."))
        form = OpportunityLineForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                services.opportunity_line_add(
                    actor=request.user, opportunity=opportunity, data=form.service_data()
                )
            except ValidationError as exc:
                message_validation_error(request, exc)
            else:
                messages.success(request, _("Line added."))
                return HttpResponseRedirect(opportunity.get_absolute_url())
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return HttpResponseRedirect(opportunity.get_absolute_url())


class OpportunityLineRemoveView(_LineViewBase):
    def get(self, request, pk: int):
        line = get_object_or_404(selectors.opportunity_line_list(request.user), pk=pk)
        return render(
            request,
            "core/object_delete.html",
            {"object": line, "verbose_name": line._meta.verbose_name},
        )

    def post(self, request, pk: int):
        line = get_object_or_404(selectors.opportunity_line_list(request.user), pk=pk)
        opportunity = line.opportunity
        try:
            services.opportunity_line_remove(actor=request.user, instance=line)
        except ValidationError as exc:
            message_validation_error(request, exc)
        else:
            messages.success(request, _("Line removed."))
        return HttpResponseRedirect(opportunity.get_absolute_url())


class OrganizationOpportunitiesView(LoginRequiredMixin, View):
    """The open opportunities of one organization, as a fragment for the organization page."""

    def get(self, request, pk: int):
        rows = selectors.open_opportunities_of(request.user, pk)
        return render(
            request,
            "pipeline/partials/organization_opportunities.html",
            {
                "opportunities": rows[:20],
                "organization_id": pk,
                "may_write": visibility.may_write(request.user),
            },
        )
