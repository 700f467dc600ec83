"""Pages of revenue targets, declared on the generic views of `core`.

Targets are not owned records: everyone reads the targets they may see (see
`selectors.targets`), only managers and administrators add, change or delete them. The generic
views ask `visibility.can_change`, which would let a member change their team's target; the views
here ask `may_manage_targets` instead, and the services check it again.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from accord.core import visibility
from accord.core.views import (
    BulkDeleteView,
    ModelViews,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)

from ..filtersets.targets import RevenueTargetFilterSet
from ..forms.targets import RevenueTargetForm
from ..models import RevenueTarget
from ..selectors import targets as target_selectors
from ..services import targets as target_services
from ..tables.targets import RevenueTargetTable


def _refuse_unless_manager(request) -> None:
    if request.user.is_authenticated:
        target_services.require_target_manager(request.user)


class RevenueTargetListView(ObjectListView):
    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        kwargs["user"] = self.request.user
        kwargs.pop("bulk", None)
        if self.bulk_actions and target_selectors.may_manage_targets(self.request.user):
            kwargs["bulk"] = True
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        manages = target_selectors.may_manage_targets(self.request.user)
        ctx["may_write"] = manages
        if not manages:
            ctx["bulk_delete_url"] = None
        ctx["attainment_sources"] = target_selectors.attainment_sources_label()
        return ctx


class RevenueTargetDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = target_selectors.may_manage_targets(self.request.user)
        ctx["share_url"] = None
        found = target_selectors.attainment([self.object], self.request.user)
        ctx["attainment"] = found.get(self.object.pk)
        ctx["attainment_shares"] = target_selectors.source_shares(ctx["attainment"])
        ctx["attainment_sources"] = target_selectors.attainment_sources_label()
        ctx["sees_everything"] = visibility.sees_everything(self.request.user)
        return ctx


class RevenueTargetEditView(ObjectEditView):
    def dispatch(self, request, *args, **kwargs):
        _refuse_unless_manager(request)
        return super().dispatch(request, *args, **kwargs)


class RevenueTargetDeleteView(ObjectDeleteView):
    def dispatch(self, request, *args, **kwargs):
        _refuse_unless_manager(request)
        return super().dispatch(request, *args, **kwargs)


class RevenueTargetBulkDeleteView(BulkDeleteView):
    def dispatch(self, request, *args, **kwargs):
        _refuse_unless_manager(request)
        return super().dispatch(request, *args, **kwargs)


class RevenueTargetViews(ModelViews):
    model = RevenueTarget
    selector = staticmethod(target_selectors.target_list)
    namespace = "pipeline"
    filterset_class = RevenueTargetFilterSet
    table_class = RevenueTargetTable
    form_class = RevenueTargetForm
    create_service = staticmethod(target_services.revenue_target_create)
    update_service = staticmethod(target_services.revenue_target_update)
    delete_service = staticmethod(target_services.revenue_target_delete)
    list_view = RevenueTargetListView
    detail_view = RevenueTargetDetailView
    edit_view = RevenueTargetEditView
    list_template = "pipeline/targets/revenuetarget_list.html"
    detail_template = "pipeline/targets/revenuetarget_detail.html"

    @classmethod
    def urls(cls, prefix: str) -> list:
        """The generic patterns, with the delete views that refuse members up front."""
        replace = {
            f"{cls.model._meta.model_name}_delete": RevenueTargetDeleteView,
            f"{cls.model._meta.model_name}_bulk_delete": RevenueTargetBulkDeleteView,
        }
        patterns = super().urls(prefix)
        out = []
        for pattern in patterns:
            view_class = replace.get(pattern.name)
            if isinstance(pattern, URLPattern) and view_class is not None:
                initkwargs = dict(pattern.callback.view_initkwargs)
                pattern.callback = view_class.as_view(**initkwargs)
            out.append(pattern)
        return out
