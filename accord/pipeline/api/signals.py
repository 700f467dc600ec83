"""API of market signals: the collection (filters as on the list page), `to-opportunity/` on one
signal, and `trends/` with the numbers of the trend view. Serializers validate; the services
write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.interactions.models import Interaction
from accord.parties.choices import Industry
from accord.parties.models import Organization, Person

from .. import services
from ..choices import SignalDirection, SignalKind
from ..filtersets.signals import MarketSignalFilterSet
from ..models import MarketSignal, Pipeline, Stage
from ..selectors import signals as signal_selectors
from .opportunities import OpportunitySerializer
from .router import router

_NOT_VISIBLE = {
    "organizations": _("No organization you may see has the id {pk_value}."),
    "people": _("No person you may see has the id {pk_value}."),
    "interactions": _("No interaction you may see has the id {pk_value}."),
}
_LINKED_MODELS: dict[str, Any] = {
    "organizations": Organization,
    "people": Person,
    "interactions": Interaction,
}


@extend_schema_field(
    {"type": "string", "enum": list(SignalDirection.values)}, component_name="SignalDirectionEnum"
)
class SignalDirectionField(serializers.ChoiceField):
    """Opportunity, threat or request (a named enum: "direction" names another in the schema)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SignalDirection.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(SignalKind.values)}, component_name="SignalKindEnum"
)
class SignalKindField(serializers.ChoiceField):
    """Industry trend or client feedback."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SignalKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": ["rising", "falling", "steady"]}, component_name="SignalTrendEnum"
)
class SignalTrendField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=["rising", "falling", "steady"], **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(signal_selectors.PERIODS)},
    component_name="SignalTrendPeriodEnum",
)
class SignalPeriodField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=signal_selectors.PERIODS, **kwargs)


class LinkedIdsField(serializers.ManyRelatedField):
    """Ids of linked records: shows those the user may see; accepts those the user may see and
    those already linked (the service keeps links the user cannot see)."""

    def get_attribute(self, instance: MarketSignal) -> Any:
        prefetched = getattr(instance, f"visible_{self.field_name}", None)
        if prefetched is not None:
            return prefetched
        user = getattr(self.context.get("request"), "user", None)
        model = _LINKED_MODELS[self.field_name]
        return getattr(instance, self.field_name).filter(visibility.visibility_q(model, user))


def _linked_field(name: str, help_text: str) -> LinkedIdsField:
    return LinkedIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(
            queryset=_LINKED_MODELS[name].objects.all(),
            error_messages={"does_not_exist": _NOT_VISIBLE[name]},
        ),
        required=False,
        help_text=help_text,
    )


class MarketSignalSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    organizations = _linked_field("organizations", "Ids of organizations you may see.")
    people = _linked_field("people", "Ids of people you may see.")
    interactions = _linked_field("interactions", "Ids of interactions you may see.")
    opportunity = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The opportunity the signal was turned into."
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kind = SignalKindField(required=False)
    direction = SignalDirectionField(required=False)

    class Meta:
        model = MarketSignal
        fields = [
            "id",
            "url",
            "title",
            "topic",
            "kind",
            "direction",
            "industry",
            "observed_on",
            "note",
            "organizations",
            "people",
            "interactions",
            "opportunity",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "team", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        instance = self.instance if isinstance(self.instance, MarketSignal) else None
        for name, model in _LINKED_MODELS.items():
            allowed = visibility.visibility_q(model, user)
            if instance is not None:
                allowed |= Q(pk__in=getattr(instance, name).values("pk"))
            fields[name].child_relation.queryset = model.objects.filter(allowed)
        return fields


class SignalToOpportunitySerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        help_text="One of the signal's organizations.",
    )
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Left out: the signal's title."
    )
    pipeline = serializers.PrimaryKeyRelatedField(
        queryset=Pipeline.objects.all(), required=False, help_text="Left out: the default pipeline."
    )
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(),
        required=False,
        help_text="Left out: the pipeline's first stage.",
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    currency = serializers.CharField(max_length=3, required=False)
    expected_close_date = serializers.DateField(required=False, allow_null=True)


class TopicTrendSerializer(serializers.Serializer):
    topic = serializers.CharField()
    count = serializers.IntegerField(help_text="Signals in the period.")
    previous = serializers.IntegerField(help_text="Signals in the previous period (as long).")
    change = serializers.IntegerField()
    change_percent = serializers.IntegerField(
        allow_null=True, help_text="Per cent of the previous count; null when there was none."
    )
    trend = SignalTrendField()


class TopicSeriesSerializer(serializers.Serializer):
    topic = serializers.CharField()
    values = serializers.ListField(child=serializers.IntegerField())


class DirectionSeriesSerializer(serializers.Serializer):
    direction = SignalDirectionField()
    values = serializers.ListField(child=serializers.IntegerField())


class MatrixRowSerializer(serializers.Serializer):
    topic = serializers.CharField()
    industries = serializers.DictField(
        child=serializers.IntegerField(), help_text='Industry → count ("" = no industry given).'
    )


class SignalTrendsSerializer(serializers.Serializer):
    period = SignalPeriodField()
    start = serializers.DateField()
    end = serializers.DateField()
    previous_start = serializers.DateField()
    previous_end = serializers.DateField()
    periods = serializers.ListField(
        child=serializers.DateField(), help_text="First day of each month or quarter."
    )
    labels = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()
    previous_total = serializers.IntegerField()
    topics = TopicTrendSerializer(many=True, help_text="Top topics, most signals first.")
    topic_series = TopicSeriesSerializer(many=True, help_text="The charted topics per period.")
    other_series = serializers.ListField(
        child=serializers.IntegerField(), help_text="All other topics together, per period."
    )
    direction_series = DirectionSeriesSerializer(many=True)
    industries = serializers.ListField(child=serializers.CharField())
    matrix = MatrixRowSerializer(many=True)


class SignalTrendParamsSerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=signal_selectors.PERIODS, required=False, default=signal_selectors.MONTH
    )
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False)
    kind = serializers.ChoiceField(choices=SignalKind.choices, required=False)
    direction = serializers.ChoiceField(choices=SignalDirection.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"end": _("“end” must not be before “start”.")})
        return attrs


def trends_data(trends: signal_selectors.SignalTrends) -> dict[str, Any]:
    return {
        "period": trends.period,
        "start": trends.start,
        "end": trends.end,
        "previous_start": trends.previous_start,
        "previous_end": trends.previous_end,
        "periods": trends.periods,
        "labels": trends.labels,
        "total": trends.total,
        "previous_total": trends.previous_total,
        "topics": [
            {
                "topic": t.topic,
                "count": t.count,
                "previous": t.previous,
                "change": t.change,
                "change_percent": t.change_percent,
                "trend": t.trend,
            }
            for t in trends.topics
        ],
        "topic_series": [{"topic": k, "values": v} for k, v in trends.topic_series.items()],
        "other_series": trends.other_series,
        "direction_series": [
            {"direction": k, "values": v} for k, v in trends.direction_series.items()
        ],
        "industries": trends.industries,
        "matrix": [{"topic": k, "industries": v} for k, v in trends.matrix.items()],
    }


class MarketSignalViewSet(ServiceModelViewSet):
    """Market signals under the visibility rule; links only to records the user may see."""

    serializer_class = MarketSignalSerializer
    selector = staticmethod(signal_selectors.market_signal_api_list)
    create_service = staticmethod(services.market_signal_create)
    update_service = staticmethod(services.market_signal_update)
    delete_service = staticmethod(services.market_signal_delete)
    filterset_class = MarketSignalFilterSet
    ordering_fields = ["observed_on", "title", "topic", "created_at", "id"]
    ordering = ["-observed_on", "-id"]

    @extend_schema(
        request=SignalToOpportunitySerializer,
        responses={201: OpportunitySerializer},
        summary="Turn the signal into an opportunity",
    )
    @action(detail=True, methods=["post"], url_path="to-opportunity")
    def to_opportunity(self, request, pk=None):
        """Create an opportunity for one of the signal's organizations and link it; refused
        when the signal was turned into one already."""
        signal = self.get_object()
        params = SignalToOpportunitySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        opportunity = self._call(
            services.market_signal_to_opportunity,
            actor=request.user,
            signal=signal,
            data=dict(params.validated_data),
        )
        data = OpportunitySerializer(opportunity, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, enum=list(signal_selectors.PERIODS), description="month (default)"
            ),
            OpenApiParameter("start", str, description="YYYY-MM-DD; default twelve months back"),
            OpenApiParameter("end", str, description="YYYY-MM-DD; default today"),
            OpenApiParameter("industry", str, enum=Industry.values),
            OpenApiParameter("kind", str, enum=SignalKind.values),
            OpenApiParameter("direction", str, enum=SignalDirection.values),
        ],
        responses=SignalTrendsSerializer,
        summary="Signals per topic over time",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def trends(self, request):
        """Signals you may see per topic and month (or quarter), by direction and industry, and
        each topic's change against the previous period of the same length (default: the last
        twelve months)."""
        params = SignalTrendParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        trends = signal_selectors.signal_trends(
            request.user,
            period=values.get("period") or signal_selectors.MONTH,
            start=values.get("start"),
            end=values.get("end"),
            industry=values.get("industry", ""),
            kind=values.get("kind", ""),
            direction=values.get("direction", ""),
        )
        return Response(SignalTrendsSerializer(trends_data(trends)).data)


router.register("signals", MarketSignalViewSet, basename="marketsignal")
