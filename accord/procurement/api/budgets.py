"""API of budgets (CRUD with spend, forecast and flags; `actuals/` with the order lines behind
the spend) and the cost trends (`budgets/cost-trends/`). Serializers validate; the services
write and apply the rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization

from ..filtersets.budgets import BudgetFilterSet
from ..forms.budgets import CostTrendForm
from ..models import Budget, SupplyCategory
from ..selectors import budgets as selectors
from ..services import budgets as services
from .router import router


class BudgetSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    period_label = serializers.CharField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    actual = serializers.SerializerMethodField(help_text="Spend so far.")
    forecast = serializers.SerializerMethodField(help_text="Spend forecast to the period's end.")
    remaining = serializers.SerializerMethodField()
    used_percent = serializers.SerializerMethodField()
    flagged = serializers.SerializerMethodField(
        help_text="90 % or more used, or the forecast exceeds the budget."
    )
    business_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(is_internal=True),
        help_text="An organization with the internal role.",
    )
    category = serializers.PrimaryKeyRelatedField(queryset=SupplyCategory.objects.all())
    # the service checks the one-budget-per-period rule and names the field
    period_start = serializers.DateField(help_text="The first day of the month, quarter or year.")

    class Meta:
        model = Budget
        fields = [
            "id",
            "url",
            "business_unit",
            "category",
            "period_kind",
            "period_start",
            "period_end",
            "period_label",
            "amount",
            "currency",
            "notes",
            "actual",
            "forecast",
            "remaining",
            "used_percent",
            "flagged",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "team", "created_at", "updated_at"]
        validators: list = []

    def _status(self, obj: Budget) -> selectors.BudgetStatus:
        cached = getattr(obj, "_status", None)
        if cached is None:
            cached = selectors.budget_status(obj)
            obj._status = cached  # type: ignore[attr-defined]
        return cached

    def get_actual(self, obj: Budget) -> str:
        return str(self._status(obj).actual)

    def get_forecast(self, obj: Budget) -> str:
        return str(self._status(obj).forecast)

    def get_remaining(self, obj: Budget) -> str:
        return str(self._status(obj).remaining)

    def get_used_percent(self, obj: Budget) -> float | None:
        used = self._status(obj).used_percent
        return None if used is None else round(used, 1)

    def get_flagged(self, obj: Budget) -> bool:
        return self._status(obj).flagged

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        if user is not None:
            fields["business_unit"].queryset = selectors.business_units(user)
        return fields


class BudgetLineSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order_id")
    order_number = serializers.CharField(source="order.number")
    ordered_on = serializers.DateField(source="order.ordered_on")
    supplier = serializers.IntegerField(source="order.supplier_id")
    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=16, decimal_places=4)
    amount = serializers.DecimalField(max_digits=20, decimal_places=2)


class BudgetActualsSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=20, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=20, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=20, decimal_places=2)
    used_percent = serializers.FloatField(allow_null=True)
    elapsed_days = serializers.IntegerField()
    total_days = serializers.IntegerField()
    over_warning = serializers.BooleanField(help_text="90 % or more used.")
    over_budget = serializers.BooleanField(help_text="100 % or more used.")
    forecast_over = serializers.BooleanField(help_text="The forecast exceeds the budget.")
    lines = BudgetLineSerializer(many=True, help_text="The order lines you may see.")


class CostSeriesSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField(source="supplier")
    agreed = serializers.ListField(child=serializers.FloatField(allow_null=True))
    charged = serializers.ListField(child=serializers.FloatField(allow_null=True))


class CostTrendsSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category.pk", allow_null=True)
    unit = serializers.CharField()
    units = serializers.ListField(child=serializers.CharField())
    period = serializers.CharField()
    periods = serializers.ListField(child=serializers.DateField())
    labels = serializers.ListField(child=serializers.CharField())
    series = CostSeriesSerializer(many=True)
    average_agreed = serializers.ListField(child=serializers.FloatField(allow_null=True))
    average_charged = serializers.ListField(child=serializers.FloatField(allow_null=True))


class BudgetViewSet(ServiceModelViewSet):
    """Budgets you may see, with their spend, forecast and flags."""

    serializer_class = BudgetSerializer
    selector = staticmethod(selectors.budget_list)
    create_service = staticmethod(services.budget_create)
    update_service = staticmethod(services.budget_update)
    delete_service = staticmethod(services.budget_delete)
    filterset_class = BudgetFilterSet
    ordering_fields = ["period_start", "amount", "actual", "id"]
    ordering = ["-period_start", "id"]

    @extend_schema(responses=BudgetActualsSerializer, summary="Spend, forecast and order lines")
    @action(detail=True, methods=["get"])
    def actuals(self, request, pk=None):
        budget = self.get_object()
        st = selectors.budget_status(budget)
        data = {
            "amount": budget.amount,
            "actual": st.actual,
            "forecast": st.forecast,
            "remaining": st.remaining,
            "used_percent": None if st.used_percent is None else round(st.used_percent, 1),
            "elapsed_days": st.elapsed_days,
            "total_days": st.total_days,
            "over_warning": st.over_warning,
            "over_budget": st.over_budget,
            "forecast_over": st.forecast_over,
            "lines": selectors.budget_lines(request.user, budget),
        }
        return Response(BudgetActualsSerializer(data).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("category", int, description="Default: the first with order lines"),
            OpenApiParameter("supplier", int),
            OpenApiParameter("unit", str, description="Default: the category's most used unit"),
            OpenApiParameter("period", str, enum=["month", "quarter"]),
            OpenApiParameter("start", str, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, description="YYYY-MM-DD; default today"),
        ],
        responses=CostTrendsSerializer,
        summary="Price per unit of a category over time, by supplier",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="cost-trends",
        filter_backends=[],
        pagination_class=None,
    )
    def cost_trends(self, request):
        form = CostTrendForm(data=request.query_params or None, user=request.user)
        if request.query_params and not form.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(form.errors)
        trends = selectors.cost_trends(request.user, **form.selector_kwargs())
        payload = (
            CostTrendsSerializer(trends).data
            if trends.category
            else {
                "category": None,
                "unit": "",
                "units": [],
                "period": trends.period,
                "periods": trends.periods,
                "labels": trends.labels,
                "series": [],
                "average_agreed": trends.average_agreed,
                "average_charged": trends.average_charged,
            }
        )
        return Response(payload)


router.register("budgets", BudgetViewSet, basename="budget")
