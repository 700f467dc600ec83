"""API of the supplier scorecards: criteria (read, change parameters, set all weights), standings
(read, replace all), scores (read with the ranking filters, recompute one supplier's period, start
a recompute of all). Serializers validate; the services apply the rules and write."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accord.core import visibility
from accord.core.api import as_drf_error
from accord.intelligence.engine import periods

from ..filtersets.scorecards import SupplierScoreFilterSet
from ..models import (
    CriterionCode,
    ScorecardCriterion,
    ScorecardStanding,
    ScorePeriod,
    StandingAction,
    SupplierScore,
)
from ..selectors import scorecards as selectors
from ..services import scorecards as services
from .router import router


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class ConfigPermission(permissions.BasePermission):
    """Signed-in users read; administrators and managers change the configuration."""

    message = "Only administrators and managers change the scorecard configuration."

    def has_permission(self, request, view) -> bool:
        if not visibility.is_authenticated(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return selectors.may_configure(request.user)


# --- criteria ----------------------------------------------------------------------------------
class ScorecardCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardCriterion
        fields = [
            "id",
            "code",
            "weight",
            "active",
            "order",
            "tolerance_percent",
            "target_hours",
            "limit_hours",
            "issue_limit",
            "description",
        ]
        read_only_fields = ["code", "weight", "active"]


class WeightsSerializer(serializers.Serializer):
    weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        help_text="Criterion code → weight in % (criteria left out keep theirs).",
    )
    active = serializers.DictField(
        child=serializers.BooleanField(), required=False, help_text="Criterion code → active."
    )
    normalise = serializers.BooleanField(
        default=False,
        help_text="Scale the active weights to 100 % instead of refusing another sum.",
    )


class ScorecardCriterionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The scorecard criteria; parameters change one by one, weights all at once (`weights/`)."""

    serializer_class = ScorecardCriterionSerializer
    permission_classes = [ConfigPermission]
    http_method_names = ["get", "patch", "post", "head", "options"]
    pagination_class = None

    def get_queryset(self):
        return selectors.criterion_list(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = _call(
            services.criterion_update,
            actor=self.request.user,
            instance=serializer.instance,
            data=dict(serializer.validated_data),
        )

    @extend_schema(
        request=WeightsSerializer,
        responses=ScorecardCriterionSerializer(many=True),
        summary="Set the weights of all criteria",
    )
    @action(detail=False, methods=["post"])
    def weights(self, request):
        """Refused when the active weights do not sum to 100 % (the message gives the sum),
        unless `normalise` is true."""
        params = WeightsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        saved = _call(
            services.criteria_weights_update,
            actor=request.user,
            weights=data["weights"],
            active=data.get("active"),
            normalise=data.get("normalise", False),
        )
        return Response(ScorecardCriterionSerializer(saved, many=True).data)


# --- standings ---------------------------------------------------------------------------------
class ScorecardStandingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="Given: change that standing.")

    class Meta:
        model = ScorecardStanding
        fields = ["id", "low", "high", "label", "action"]


class StandingsSerializer(serializers.Serializer):
    standings = ScorecardStandingSerializer(many=True)


class ScorecardStandingViewSet(viewsets.ReadOnlyModelViewSet):
    """The standings (score bands); replaced all at once, as they must cover 0–100 together."""

    serializer_class = ScorecardStandingSerializer
    permission_classes = [ConfigPermission]
    pagination_class = None

    def get_queryset(self):
        return selectors.standing_list(self.request.user)

    @extend_schema(
        request=StandingsSerializer,
        responses=ScorecardStandingSerializer(many=True),
        summary="Replace all standings",
    )
    @action(detail=False, methods=["post"])
    def replace(self, request):
        """Standings not named are deleted; the bands must cover 0–100 without gaps or
        overlaps."""
        params = StandingsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rows = [dict(r) for r in params.validated_data["standings"]]
        saved = _call(services.standings_replace, actor=request.user, rows=rows)
        return Response(ScorecardStandingSerializer(saved, many=True).data)


# --- scores ------------------------------------------------------------------------------------
class CriterionScoreSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=CriterionCode.choices)
    value = serializers.FloatField(
        allow_null=True,
        help_text="Measured: a rate in % (on time, quality), variance in %, median hours, "
        "or a count.",
    )
    score = serializers.FloatField(allow_null=True, help_text="0–100; null: no data, left out.")
    weight = serializers.FloatField(help_text="Configured weight (active weights scaled to 100).")
    effective_weight = serializers.FloatField(
        allow_null=True, help_text="Weight used after leaving out criteria without data."
    )
    basis = serializers.IntegerField(help_text="How many lines, mails or issues it counts.")


class SupplierScoreSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    period_label = serializers.CharField(read_only=True)
    criteria = CriterionScoreSerializer(many=True, read_only=True)
    left_out = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SupplierScore
        fields = [
            "id",
            "url",
            "supplier",
            "supplier_name",
            "period_kind",
            "period_start",
            "period_label",
            "total",
            "standing",
            "standing_label",
            "standing_action",
            "criteria",
            "left_out",
            "computed_at",
        ]
        read_only_fields = fields


class RecomputeSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(help_text="The supplier organization's id.")
    period_kind = serializers.ChoiceField(choices=ScorePeriod.choices, default=ScorePeriod.QUARTER)
    period_start = serializers.DateField(help_text="Any day of the month or quarter.")


class RecomputeAllSerializer(serializers.Serializer):
    period_kind = serializers.ChoiceField(
        choices=ScorePeriod.choices, required=False, help_text="Left out: months and quarters."
    )
    count = serializers.IntegerField(min_value=1, max_value=24, default=2)


class SupplierScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Supplier scores per period, of the suppliers you may see; filter by `period`
    ("quarter:2026-07-01"), `category`, `standing_action`, score range."""

    serializer_class = SupplierScoreSerializer
    filterset_class = SupplierScoreFilterSet
    ordering_fields = ["total", "period_start", "id"]
    ordering = ["-period_start", "-total", "id"]

    def get_queryset(self):
        return selectors.supplier_score_list(self.request.user)

    @extend_schema(
        request=RecomputeSerializer,
        responses={201: SupplierScoreSerializer},
        summary="Recompute one supplier's score for a period",
    )
    @action(detail=False, methods=["post"])
    def recompute(self, request):
        params = RecomputeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        supplier = get_object_or_404(selectors.supplier_list(request.user), pk=data["supplier"])
        kind = data["period_kind"]
        score = _call(
            services.supplier_score_recompute,
            actor=request.user,
            supplier=supplier,
            kind=kind,
            start=periods.period_start(kind, data["period_start"]),
        )
        return Response(
            SupplierScoreSerializer(score, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=RecomputeAllSerializer,
        responses={
            202: inline_serializer(
                "RecomputeJob", {"job": serializers.IntegerField(), "url": serializers.CharField()}
            )
        },
        summary="Recompute every supplier's recent scores (a job)",
    )
    @action(detail=False, methods=["post"], url_path="recompute-all")
    def recompute_all(self, request):
        """Administrators and managers; the job's progress is at `/api/jobs/<id>/`."""
        params = RecomputeAllSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data: dict[str, Any] = params.validated_data
        job = _call(
            services.start_recompute,
            actor=request.user,
            kind=data.get("period_kind") or "",
            count=data.get("count") or 2,
        )
        return Response(
            {"job": job.pk, "url": job.get_absolute_url()}, status=status.HTTP_202_ACCEPTED
        )


__all__ = ["StandingAction"]

router.register("scorecard-criteria", ScorecardCriterionViewSet, basename="scorecardcriterion")
router.register("scorecard-standings", ScorecardStandingViewSet, basename="scorecardstanding")
router.register("supplier-scores", SupplierScoreViewSet, basename="supplierscore")
