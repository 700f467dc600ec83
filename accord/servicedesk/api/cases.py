"""API of cases: the collection (filters as on the list page), `status/`, `notes/`,
`conversation/` and `clock/` on one case, and `standards/` with the figures of the
service-standards page. Serializers validate; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.commerce.models import Order
from accord.contracts.models import Contract
from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.interactions.choices import Direction, InteractionKind
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person

from ..filtersets.cases import CaseFilterSet
from ..models import Case, CaseCategory, CaseNote, CasePriority, CaseStatus
from ..selectors import cases as selectors
from ..selectors import servicelevels as sl_selectors
from ..services import cases as services
from .router import router


@extend_schema_field(
    {"type": "string", "enum": list(CaseStatus.values)}, component_name="CaseStatusEnum"
)
class CaseStatusField(serializers.ChoiceField):
    """New, open, waiting (on client), resolved, closed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CaseStatus.choices, **kwargs)


class CaseSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        error_messages={"does_not_exist": _("No organization you may see has the id {pk_value}.")},
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No person you may see has the id {pk_value}.")},
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=CaseCategory.objects.all(), required=False, allow_null=True
    )
    status = CaseStatusField(
        required=False,
        help_text="Changing it moves the case like the status buttons (the clock follows).",
    )
    has_breach = serializers.BooleanField(read_only=True, help_text="A target was missed.")
    policy = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "number",
            "organization",
            "person",
            "subject",
            "description",
            "category",
            "priority",
            "status",
            "product",
            "contract",
            "order",
            "opened_at",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "policy",
            "first_response_due_at",
            "resolution_due_at",
            "first_response_seconds",
            "resolution_seconds",
            "has_breach",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "first_response_due_at",
            "resolution_due_at",
            "first_response_seconds",
            "resolution_seconds",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["organization"].queryset = Organization.objects.visible_to(user)
        fields["person"].queryset = Person.objects.visible_to(user)
        fields["contract"].queryset = Contract.objects.visible_to(user)
        fields["order"].queryset = Order.objects.visible_to(user)
        return fields


class CaseStatusSerializer(serializers.Serializer):
    status = CaseStatusField()


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = CaseNote
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = ["author", "created_at"]


class CaseInteractionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=InteractionKind.choices, default=InteractionKind.EMAIL)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.OUTBOUND)

    class Meta:
        model = Interaction
        fields = ["id", "kind", "direction", "subject", "body", "occurred_at"]
        extra_kwargs = {"occurred_at": {"required": False}}


class ClockSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    target_hours = serializers.FloatField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    used_hours = serializers.FloatField()
    left_hours = serializers.FloatField(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    state = serializers.CharField(help_text="met, missed, breached, at_risk, running, paused, none")
    done_at = serializers.DateTimeField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    opened = serializers.IntegerField()
    resolved = serializers.IntegerField()
    breached = serializers.IntegerField()
    breach_rate = serializers.FloatField(allow_null=True, help_text="Per cent of the opened cases.")
    first_response_median = serializers.FloatField(allow_null=True)
    first_response_mean = serializers.FloatField(allow_null=True)
    resolution_median = serializers.FloatField(allow_null=True)
    resolution_mean = serializers.FloatField(allow_null=True)


class MonthFiguresSerializer(FiguresSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class GroupFiguresSerializer(FiguresSerializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class StandardsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = FiguresSerializer()
    months = MonthFiguresSerializer(many=True)
    teams = GroupFiguresSerializer(many=True)
    clients = GroupFiguresSerializer(many=True)


class StandardsParamsSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    team = serializers.IntegerField(required=False)
    priority = serializers.ChoiceField(choices=CasePriority.choices, required=False)
    organization = serializers.IntegerField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": _("“end” must not be before “start”.")})
        return attrs


def _figures(f: Any) -> dict[str, Any]:
    return {
        "opened": f.opened,
        "resolved": f.resolved,
        "breached": f.breached,
        "breach_rate": f.breach_rate,
        "first_response_median": f.first_response_median,
        "first_response_mean": f.first_response_mean,
        "resolution_median": f.resolution_median,
        "resolution_mean": f.resolution_mean,
    }


def standards_data(data: sl_selectors.ServiceStandards) -> dict[str, Any]:
    return {
        "start": data.start,
        "end": data.end,
        "total": _figures(data.total),
        "months": [
            {"month": label, **_figures(f)}
            for label, f in zip(data.labels, data.monthly, strict=True)
        ],
        "teams": [{"id": r.key, "name": r.label, **_figures(r.figures)} for r in data.teams],
        "clients": [{"id": r.key, "name": r.label, **_figures(r.figures)} for r in data.clients],
    }


class CaseViewSet(ServiceModelViewSet):
    """Cases under the visibility rule; the organization and person must be visible."""

    serializer_class = CaseSerializer
    selector = staticmethod(selectors.case_api_list)
    create_service = staticmethod(services.case_create)
    update_service = staticmethod(services.case_update)
    delete_service = staticmethod(services.case_delete)
    filterset_class = CaseFilterSet
    ordering_fields = ["opened_at", "number", "priority", "status", "resolution_due_at", "id"]
    ordering = ["-opened_at", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("status", None)  # a new case starts as "new"; move it with status/
        serializer.instance = self._call(services.case_create, actor=self.request.user, data=data)
        serializer.instance.has_breach = serializer.instance.breaches.exists()

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance.has_breach = serializer.instance.breaches.exists()

    @extend_schema(request=CaseStatusSerializer, responses=CaseSerializer, summary="Move the case")
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the case to a status (the resolution clock pauses in "waiting" and "resolved")."""
        case = self.get_object()
        params = CaseStatusSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if not visibility.can_change(request.user, case):
            self.permission_denied(request, message=str(_("You may not change this record.")))
        case = self._call(
            services.case_set_status,
            actor=request.user,
            case=case,
            status=params.validated_data["status"],
        )
        case.has_breach = case.breaches.exists()
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"], responses=CaseNoteSerializer(many=True), summary="Internal notes"
    )
    @extend_schema(
        methods=["POST"],
        request=CaseNoteSerializer,
        responses={201: CaseNoteSerializer},
        summary="Add an internal note",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def notes(self, request, pk=None):
        """The internal notes of the case, newest first; POST adds one."""
        case = self.get_object()
        if request.method == "POST":
            params = CaseNoteSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            note = self._call(
                services.case_note_create,
                actor=request.user,
                case=case,
                text=params.validated_data["text"],
            )
            return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)
        notes = CaseNote.objects.filter(case=case).select_related("author").order_by("-created_at")
        return Response(CaseNoteSerializer(notes, many=True).data)

    @extend_schema(
        methods=["GET"],
        responses=CaseInteractionSerializer(many=True),
        summary="The conversation",
    )
    @extend_schema(
        methods=["POST"],
        request=CaseInteractionSerializer,
        responses={201: CaseInteractionSerializer},
        summary="Add a message, call or meeting to the conversation",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def conversation(self, request, pk=None):
        """The case's interactions you may see, newest first; POST logs one with the case's
        organization and person (an outbound one is the first response)."""
        case = self.get_object()
        if request.method == "POST":
            params = CaseInteractionSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            interaction = self._call(
                services.case_add_interaction,
                actor=request.user,
                case=case,
                data=dict(params.validated_data),
            )
            return Response(
                CaseInteractionSerializer(interaction).data, status=status.HTTP_201_CREATED
            )
        rows = case.interactions.filter(
            visibility.visibility_q(Interaction, request.user)
        ).order_by("-occurred_at", "-id")
        return Response(CaseInteractionSerializer(rows, many=True).data)

    @extend_schema(responses=ClockSerializer(many=True), summary="The service-level clock")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def clock(self, request, pk=None):
        """First-response and resolution targets: due, business hours used and left, state."""
        case = self.get_object()
        clocks = selectors.case_clocks(case)
        return Response(ClockSerializer([c.__dict__ for c in clocks], many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD; default twelve months back"),
            OpenApiParameter("end", str, description="YYYY-MM-DD; default today"),
            OpenApiParameter("team", int),
            OpenApiParameter("priority", str, enum=CasePriority.values),
            OpenApiParameter("organization", int, description="A client's id"),
        ],
        responses=StandardsSerializer,
        summary="Service standards",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def standards(self, request):
        """Cases opened and resolved, median and average business hours to first response and
        resolution, and the breach rate — in total, per month, team and client."""
        params = StandardsParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        data = sl_selectors.service_standards(
            request.user,
            start=values.get("start"),
            end=values.get("end"),
            team=values.get("team"),
            priority=values.get("priority", ""),
            organization=values.get("organization"),
        )
        return Response(StandardsSerializer(standards_data(data)).data)


router.register("cases", CaseViewSet, basename="case")
