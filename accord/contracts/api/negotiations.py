"""API of negotiations: the collection (filters as on the list page), `analysis/` with the numbers
of the analysis page, and the rounds (`negotiation-rounds/`). Serializers validate; the services
write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.intelligence.engine import negotiation as engine
from accord.parties.models import Organization

from ..filtersets.negotiations import NegotiationFilterSet
from ..models import (
    Commitment,
    Negotiation,
    NegotiationKind,
    NegotiationRound,
    NegotiationStatus,
    OfferedBy,
)
from ..selectors import negotiations as selectors
from ..services import negotiations as services
from .router import router


@extend_schema_field(
    {"type": "string", "enum": list(NegotiationKind.values)}, component_name="NegotiationKindEnum"
)
class NegotiationKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=NegotiationKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(NegotiationStatus.values)},
    component_name="NegotiationStatusEnum",
)
class NegotiationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=NegotiationStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(OfferedBy.values)}, component_name="NegotiationOfferedByEnum"
)
class OfferedByField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=OfferedBy.choices, **kwargs)


class CommitmentIdsField(serializers.ManyRelatedField):
    """Ids of the linked commitments the user may see."""

    def get_attribute(self, instance: Negotiation) -> Any:
        prefetched = getattr(instance, "visible_commitments", None)
        if prefetched is not None:
            return prefetched
        user = getattr(self.context.get("request"), "user", None)
        return instance.commitments.filter(visibility.visibility_q(Commitment, user))


class NegotiationSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    kind = NegotiationKindField(required=False)
    status = NegotiationStatusField(required=False)
    round_count = serializers.IntegerField(read_only=True, help_text="Number of rounds.")
    commitments = CommitmentIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Commitment.objects.all()),
        required=False,
        help_text="Ids of commitments (concessions given as promises) you may see.",
    )

    class Meta:
        model = Negotiation
        fields = [
            "id",
            "url",
            "title",
            "counterparty",
            "kind",
            "opportunity",
            "contract",
            "purchase_order",
            "started_on",
            "goal",
            "target_value",
            "walk_away_value",
            "currency",
            "status",
            "outcome_reason",
            "closed_on",
            "commitments",
            "round_count",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["team", "created_at", "updated_at"]
        extra_kwargs = {
            "owner": {"help_text": "The negotiator (default: you).", "required": False},
            "title": {"required": False, "allow_blank": True},
            "counterparty": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        instance = self.instance if isinstance(self.instance, Negotiation) else None
        allowed = visibility.visibility_q(Commitment, user)
        if instance is not None:
            allowed |= Q(pk__in=instance.commitments.values("pk"))
        fields["commitments"].child_relation.queryset = Commitment.objects.filter(allowed)
        if "owner" in fields:
            fields["owner"].queryset = get_user_model().objects.filter(is_active=True)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and attrs.get("owner", ...) is None:
            attrs.pop("owner")
        return attrs


class NegotiationRoundSerializer(serializers.ModelSerializer):
    offered_by = OfferedByField(required=False)

    class Meta:
        model = NegotiationRound
        fields = [
            "id",
            "negotiation",
            "number",
            "date",
            "offered_by",
            "price",
            "volume",
            "term_months",
            "payment_days",
            "service_level",
            "other_terms",
            "concessions_ours",
            "concessions_theirs",
            "notes",
            "created_at",
        ]
        read_only_fields = ["number", "created_at"]
        extra_kwargs = {"date": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["negotiation"].queryset = Negotiation.objects.visible_to(user)
        if isinstance(self.instance, NegotiationRound):
            fields["negotiation"].read_only = True
        return fields


# --- analysis --------------------------------------------------------------------------------
class SummarySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Negotiations with a value.")
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)


class GroupStatsSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Organization or user id.")
    name = serializers.CharField()
    count = serializers.IntegerField()
    closed = serializers.IntegerField()
    agreed = serializers.IntegerField()
    agreement_rate = serializers.FloatField(
        allow_null=True, help_text="Per cent of the closed ones that were agreed."
    )
    rounds = SummarySerializer()
    days_to_close = SummarySerializer()
    our_concession = SummarySerializer(help_text="Per cent of our first offer.")
    their_concession = SummarySerializer(help_text="Per cent of their first offer.")
    final_vs_goal = SummarySerializer(help_text="Per cent of the target; positive: better.")
    terms_won = serializers.IntegerField()
    terms_lost = serializers.IntegerField()


class NegotiationAnalysisRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    counterparty = serializers.IntegerField()
    negotiator = serializers.IntegerField(allow_null=True)
    kind = NegotiationKindField()
    status = NegotiationStatusField()
    rounds = serializers.IntegerField()
    days_to_close = serializers.IntegerField(allow_null=True)
    our_concession = serializers.FloatField(allow_null=True)
    their_concession = serializers.FloatField(allow_null=True)
    final_price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    final_vs_goal = serializers.FloatField(allow_null=True)
    met_goal = serializers.BooleanField(allow_null=True)
    margin_to_walk_away = serializers.FloatField(allow_null=True)
    within_walk_away = serializers.BooleanField(allow_null=True)
    terms = serializers.DictField(
        child=serializers.CharField(), help_text="Term → won, partly or lost."
    )


class NegotiationAnalysisSerializer(serializers.Serializer):
    total = GroupStatsSerializer(allow_null=True)
    negotiations = NegotiationAnalysisRowSerializer(many=True)
    by_counterparty = GroupStatsSerializer(many=True)
    by_negotiator = GroupStatsSerializer(many=True)


class NegotiationAnalysisParamsSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=NegotiationKind.choices, required=False)
    status = serializers.ChoiceField(choices=NegotiationStatus.choices, required=False)
    negotiator = serializers.IntegerField(required=False, min_value=1)
    counterparty = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"end": _("“end” must not be before “start”.")})
        return attrs


def _group(g: engine.GroupStats, names: dict[Any, Any]) -> dict[str, Any]:
    def s(summary: engine.Summary) -> dict[str, Any]:
        return {"count": summary.count, "mean": summary.mean, "median": summary.median}

    return {
        "id": g.key if isinstance(g.key, int) else None,
        "name": str(names.get(g.key) or ""),
        "count": g.count,
        "closed": g.closed,
        "agreed": g.agreed,
        "agreement_rate": g.agreement_rate,
        "rounds": s(g.rounds),
        "days_to_close": s(g.days_to_close),
        "our_concession": s(g.our_concession),
        "their_concession": s(g.their_concession),
        "final_vs_goal": s(g.final_vs_goal),
        "terms_won": g.terms_won,
        "terms_lost": g.terms_lost,
    }


def analysis_data(report: selectors.NegotiationReport) -> dict[str, Any]:
    rows = []
    for row in report.rows:
        n, a = row.negotiation, row.analysis
        rows.append(
            {
                "id": n.pk,
                "title": n.title,
                "counterparty": n.counterparty_id,
                "negotiator": n.owner_id,
                "kind": n.kind,
                "status": n.status,
                "rounds": a.rounds,
                "days_to_close": a.days_to_close,
                "our_concession": a.our_concession,
                "their_concession": a.their_concession,
                "final_price": a.final_price,
                "final_vs_goal": a.final_vs_goal,
                "met_goal": a.met_goal,
                "margin_to_walk_away": a.margin_to_walk_away,
                "within_walk_away": a.within_walk_away,
                "terms": a.terms,
            }
        )
    return {
        "total": _group(report.total, {"all": "all"}) if report.total else None,
        "negotiations": rows,
        "by_counterparty": [_group(g, report.counterparties) for g in report.by_counterparty],
        "by_negotiator": [_group(g, report.negotiators) for g in report.by_negotiator],
    }


class NegotiationViewSet(ServiceModelViewSet):
    """Negotiations under the visibility rule."""

    serializer_class = NegotiationSerializer
    selector = staticmethod(selectors.negotiation_api_list)
    create_service = staticmethod(services.negotiation_create)
    update_service = staticmethod(services.negotiation_update)
    delete_service = staticmethod(services.negotiation_delete)
    filterset_class = NegotiationFilterSet
    ordering_fields = ["started_on", "closed_on", "title", "created_at", "id"]
    ordering = ["-started_on", "-id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD: started on or after"),
            OpenApiParameter("end", str, description="YYYY-MM-DD: started on or before"),
            OpenApiParameter("kind", str, enum=NegotiationKind.values),
            OpenApiParameter("status", str, enum=NegotiationStatus.values),
            OpenApiParameter("negotiator", int, description="User id"),
            OpenApiParameter("counterparty", int, description="Organization id"),
        ],
        responses=NegotiationAnalysisSerializer,
        summary="Negotiation analysis",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def analysis(self, request):
        """Per negotiation you may see: rounds, days to close, each side's concession in per
        cent of its first offer, terms won and lost, the final price against goal and walk-away;
        summarised (count, mean, median) by counterparty and by negotiator."""
        params = NegotiationAnalysisParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = dict(params.validated_data)
        if values.get("counterparty") and not (
            Organization.objects.visible_to(request.user).filter(pk=values["counterparty"]).exists()
        ):
            values["counterparty"] = -1  # nothing: an organization the user may not see
        report = selectors.negotiation_analysis(request.user, **values)
        return Response(NegotiationAnalysisSerializer(analysis_data(report)).data)


class NegotiationRoundViewSet(ServiceModelViewSet):
    """Rounds of the negotiations you may see; numbered automatically."""

    serializer_class = NegotiationRoundSerializer
    selector = staticmethod(selectors.round_list)
    update_service = staticmethod(services.negotiation_round_update)
    delete_service = staticmethod(services.negotiation_round_delete)
    filterset_fields = ["negotiation"]
    ordering = ["negotiation", "number"]

    def get_queryset(self):
        return selectors.round_list(self.request.user).order_by("negotiation_id", "number")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        negotiation = data.pop("negotiation")
        serializer.instance = self._call(
            services.negotiation_round_create,
            actor=self.request.user,
            negotiation=negotiation,
            data=data,
        )


router.register("negotiations", NegotiationViewSet, basename="negotiation")
router.register("negotiation-rounds", NegotiationRoundViewSet, basename="negotiationround")
