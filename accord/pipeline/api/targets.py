"""API of revenue targets: read under the target visibility rule, written by managers and
administrators through the services, each with its attainment. Importing this module also
registers the forecast endpoints (`api/forecast.py`)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accord.core.api import ServiceModelViewSet

from ..filtersets.targets import RevenueTargetFilterSet
from ..models import RevenueTarget
from ..selectors import targets as target_selectors
from ..services import targets as target_services
from . import forecast  # noqa: F401 - registers the forecast endpoints
from .router import router


class WonShareSerializer(serializers.Serializer):
    """One source's part of what was won so far."""

    source = serializers.CharField(
        help_text="The source's name: won_opportunities, orders (not linked to an opportunity)."
    )
    label = serializers.CharField(help_text="The source in words, in the request's language.")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class RevenueTargetSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    period_label = serializers.CharField(read_only=True)
    won = serializers.SerializerMethodField(
        help_text="Won so far in the period, from every source (see won_by_source), among the "
        "records the caller may see."
    )
    won_by_source = serializers.SerializerMethodField(
        help_text="Won so far by source: won opportunities closed in the period, and orders "
        "dated in the period that are not cancelled and not linked to an opportunity."
    )
    attainment_percent = serializers.SerializerMethodField(
        help_text="Won so far as a percentage of the target; null for a target of zero."
    )

    class Meta:
        model = RevenueTarget
        fields = [
            "id",
            "url",
            "period_kind",
            "period_start",
            "period_label",
            "scope",
            "scope_key",
            "user",
            "team",
            "industry",
            "region",
            "amount",
            "currency",
            "notes",
            "won",
            "won_by_source",
            "attainment_percent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["scope_key", "created_at", "updated_at"]
        # the services apply the rules (with messages naming the field), not DRF's validators
        extra_kwargs = {
            "currency": {"validators": []},
            "amount": {"validators": []},
            "period_start": {
                "help_text": "The first day of the period (1st of a month; 1 Jan/Apr/Jul/Oct "
                "for a quarter; 1 Jan for a year); other dates are refused."
            },
        }

    def _attainment(self, obj: RevenueTarget) -> target_selectors.Attainment | None:
        known = self.context.get("attainment")
        if known is None or obj.pk not in known:
            request = self.context.get("request")
            known = target_selectors.attainment([obj], getattr(request, "user", None))
            self.context["attainment"] = {**(self.context.get("attainment") or {}), **known}
        return known.get(obj.pk)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_won(self, obj: RevenueTarget) -> str | None:
        found = self._attainment(obj)
        return f"{found.reached:.2f}" if found else None  # a string, like `amount`

    @extend_schema_field(WonShareSerializer(many=True))
    def get_won_by_source(self, obj: RevenueTarget) -> list[dict[str, str]]:
        shares = target_selectors.source_shares(self._attainment(obj))
        return [{"source": s.name, "label": s.label, "amount": f"{s.amount:.2f}"} for s in shares]

    @extend_schema_field({"type": "number", "format": "double", "nullable": True})
    def get_attainment_percent(self, obj: RevenueTarget) -> float | None:
        found = self._attainment(obj)
        return float(found.percent) if found and found.percent is not None else None


class RevenueTargetViewSet(ServiceModelViewSet):
    """Revenue targets per period for a user, a team, a segment or the whole company. Everyone
    reads the company's, the segments', their own and their teams' targets; managers and
    administrators see and set all of them."""

    serializer_class = RevenueTargetSerializer
    selector = staticmethod(target_selectors.target_list)
    create_service = staticmethod(target_services.revenue_target_create)
    update_service = staticmethod(target_services.revenue_target_update)
    delete_service = staticmethod(target_services.revenue_target_delete)
    filterset_class = RevenueTargetFilterSet
    search_fields = ["notes", "region", "team__name", "user__last_name", "user__email"]
    ordering_fields = ["period_start", "amount", "scope_key", "created_at", "id"]
    ordering = ["-period_start", "period_kind", "scope_key"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self._attainment = target_selectors.attainment(rows, self.request.user)
        return page

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        if hasattr(self, "_attainment"):
            ctx["attainment"] = self._attainment
        return ctx


router.register("targets", RevenueTargetViewSet, basename="revenuetarget")
