"""Pages of budgets (list with spend, forecast and alerts; detail with the order lines behind the
spend) and of the cost trends (price per unit of a category over time, by supplier)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.charts import Series, line_chart
from accord.core.views import ModelViews, ObjectDetailView, ObjectListView

from ..filtersets.budgets import BudgetFilterSet
from ..forms.budgets import BudgetForm, CostTrendForm
from ..models import Budget
from ..selectors import budgets as selectors
from ..services import budgets as services
from ..tables.budgets import BudgetTable, flag_text


class BudgetListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["cost_trends_url"] = reverse("procurement:cost_trends")
        return ctx


class BudgetDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = selectors.budget_status(self.object)
        ctx["status"] = status
        ctx["flag"] = flag_text(status)
        ctx["lines"] = selectors.budget_lines(self.request.user, self.object)
        ctx["sees_everything"] = visibility.sees_everything(self.request.user)
        return ctx


class BudgetViews(ModelViews):
    model = Budget
    selector = staticmethod(selectors.budget_list)
    namespace = "procurement"
    filterset_class = BudgetFilterSet
    table_class = BudgetTable
    form_class = BudgetForm
    create_service = staticmethod(services.budget_create)
    update_service = staticmethod(services.budget_update)
    delete_service = staticmethod(services.budget_delete)
    list_view = BudgetListView
    detail_view = BudgetDetailView
    list_template = "procurement/budgets/budget_list.html"
    detail_template = "procurement/budgets/budget_detail.html"


def _price(value: float | None) -> str:
    return "—" if value is None else formats.number_format(value, 2, use_l10n=True)


class CostTrendsView(LoginRequiredMixin, View):
    """Price per unit of a category over time by supplier: agreed (orders) and charged
    (deliveries), a chart of each with the numbers as tables."""

    template_name = "procurement/budgets/cost_trends.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CostTrendForm(data=request.GET or None, user=request.user)
        trends = selectors.cost_trends(request.user, **form.selector_kwargs())
        ctx: dict[str, Any] = {"form": form, "trends": trends}
        if trends.has_data:
            unit = trends.unit or _("unit")
            for kind, title in (
                ("agreed", _("Agreed price per %(unit)s") % {"unit": unit}),
                ("charged", _("Charged price per %(unit)s") % {"unit": unit}),
            ):
                series = [Series(s.supplier, getattr(s, kind)) for s in trends.series[:8]]
                average = getattr(trends, f"average_{kind}")
                series.append(Series(_("All suppliers (weighted)"), average))
                ctx[f"{kind}_chart"] = line_chart(
                    title=title,
                    labels=trends.labels,
                    series=series,
                    description=_("Quantity-weighted mean price per period and supplier."),
                )
        ctx["rows"] = [
            {
                "supplier": s.supplier,
                "agreed": [_price(v) for v in s.agreed],
                "charged": [_price(v) for v in s.charged],
            }
            for s in trends.series
        ]
        ctx["average_agreed"] = [_price(v) for v in trends.average_agreed]
        ctx["average_charged"] = [_price(v) for v in trends.average_charged]
        ctx["api_url"] = f"{reverse('budget-cost-trends')}?{request.GET.urlencode()}"
        return render(request, self.template_name, ctx)
