"""Pages of internal business units: the units overview (`/units/`) and the generic list,
detail, add, edit, delete and history pages of requests between units."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from accord.core.views import ModelViews

from ..models import UnitRequest
from . import selectors, services
from .filtersets import UnitRequestFilterSet
from .forms import UnitRequestForm
from .tables import UnitRequestTable


class UnitRequestViews(ModelViews):
    model = UnitRequest
    selector = staticmethod(selectors.unit_request_list)
    namespace = "interactions"
    filterset_class = UnitRequestFilterSet
    table_class = UnitRequestTable
    form_class = UnitRequestForm
    create_service = staticmethod(services.unit_request_create)
    update_service = staticmethod(services.unit_request_update)
    delete_service = staticmethod(services.unit_request_delete)
    list_template = "interactions/units/unitrequest_list.html"
    detail_template = "interactions/units/unitrequest_detail.html"


class UnitsOverviewView(LoginRequiredMixin, View):
    """Each internal unit with its people, interactions between units and with suppliers, the
    open and overdue requests given and received, and suppliers shared by several units."""

    template_name = "interactions/units/overview.html"

    def get(self, request):
        overview = selectors.units_overview(request.user)
        return render(
            request,
            self.template_name,
            {"overview": overview, "matrix_rows": overview.matrix_rows()},
        )
