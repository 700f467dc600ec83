"""Configuration pages of service levels (the DATA hub): service hours, policies, client tiers
and case categories. Everyone signed in reads them; administrators and managers change them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView

from ..filtersets.servicelevels import (
    CaseCategoryFilterSet,
    OrganizationServiceTierFilterSet,
    ServiceHoursFilterSet,
    ServiceLevelPolicyFilterSet,
)
from ..forms.servicelevels import (
    CaseCategoryForm,
    OrganizationServiceTierForm,
    ServiceHoursForm,
    ServiceLevelPolicyForm,
)
from ..models import CaseCategory, OrganizationServiceTier, ServiceHours, ServiceLevelPolicy
from ..selectors import servicelevels as selectors
from ..services import servicelevels as services
from ..tables import servicelevels as tables

SKIP_FIELDS = {"id", "created_at", "updated_at"}


class ConfigDetailView(ObjectDetailView):
    """The row's fields as facts; change links only for administrators and managers."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        facts = []
        for field in obj._meta.concrete_fields:
            if field.name in SKIP_FIELDS:
                continue
            display = getattr(obj, f"get_{field.name}_display", None)
            value = display() if display else getattr(obj, field.name)
            if field.name == "weekdays":
                value = obj.weekday_labels
            if isinstance(value, bool):
                value = _("Yes") if value else _("No")
            facts.append((field.verbose_name, value if value not in (None, "") else "—"))
        ctx["facts"] = facts
        ctx["can_change"] = selectors.may_configure(self.request.user)
        return ctx


class ConfigEditView(ObjectEditView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.may_configure(request.user):
            raise PermissionDenied(_("Only administrators and managers may change service levels."))
        return super().dispatch(request, *args, **kwargs)


class _ConfigViews(ModelViews):
    namespace = "servicedesk"
    detail_view = ConfigDetailView
    edit_view = ConfigEditView
    detail_template = "servicedesk/config_detail.html"


class ServiceHoursViews(_ConfigViews):
    model = ServiceHours
    selector = staticmethod(selectors.service_hours_list)
    filterset_class = ServiceHoursFilterSet
    table_class = tables.ServiceHoursTable
    form_class = ServiceHoursForm
    create_service = staticmethod(services.service_hours_create)
    update_service = staticmethod(services.service_hours_update)
    delete_service = staticmethod(services.service_hours_delete)


class ServiceLevelPolicyViews(_ConfigViews):
    model = ServiceLevelPolicy
    selector = staticmethod(selectors.policy_list)
    filterset_class = ServiceLevelPolicyFilterSet
    table_class = tables.ServiceLevelPolicyTable
    form_class = ServiceLevelPolicyForm
    create_service = staticmethod(services.policy_create)
    update_service = staticmethod(services.policy_update)
    delete_service = staticmethod(services.policy_delete)


class OrganizationServiceTierViews(_ConfigViews):
    model = OrganizationServiceTier
    selector = staticmethod(selectors.tier_list)
    filterset_class = OrganizationServiceTierFilterSet
    table_class = tables.OrganizationServiceTierTable
    form_class = OrganizationServiceTierForm
    create_service = staticmethod(services.tier_create)
    update_service = staticmethod(services.tier_update)
    delete_service = staticmethod(services.tier_delete)


class CaseCategoryViews(_ConfigViews):
    model = CaseCategory
    selector = staticmethod(selectors.category_list)
    filterset_class = CaseCategoryFilterSet
    table_class = tables.CaseCategoryTable
    form_class = CaseCategoryForm
    create_service = staticmethod(services.category_create)
    update_service = staticmethod(services.category_update)
    delete_service = staticmethod(services.category_delete)
