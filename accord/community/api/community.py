"""API of the community app: projects, assessments (with the power–interest grid and a
stakeholder's history), engagement plans and their planned contacts, concerns (with the status
workflow) and consultations. Serializers validate; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from accord.contracts.models import Commitment
from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person

from .. import services
from ..choices import (
    Attitude,
    ConcernStatus,
    EngagementLevel,
    Quadrant,
    Salience,
    StakeholderCategory,
)
from ..filtersets.community import (
    ConcernFilterSet,
    ConsultationFilterSet,
    EngagementPlanFilterSet,
    StakeholderAssessmentFilterSet,
    StakeholderProjectFilterSet,
)
from ..models import (
    Concern,
    Consultation,
    EngagementPlan,
    PlannedEngagement,
    StakeholderAssessment,
    StakeholderProject,
)
from ..selectors import community as selectors
from .router import router

RELATED: dict[str, Any] = {
    "organization": Organization,
    "person": Person,
    "project": StakeholderProject,
    "consultation": Consultation,
    "interaction": Interaction,
    "interactions": Interaction,
    "commitments": Commitment,
    "plan": EngagementPlan,
}


def _enum(name: str, choices: Any) -> Any:
    """A named enum in the schema (several models share field names like "status" or "kind")."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=name)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    EnumField.__name__ = name
    return EnumField


CategoryField = _enum("StakeholderCategoryEnum", StakeholderCategory)
AttitudeField = _enum("StakeholderAttitudeEnum", Attitude)
SalienceField = _enum("SalienceEnum", Salience)
QuadrantField = _enum("GridQuadrantEnum", Quadrant)
EngagementLevelField = _enum("EngagementLevelEnum", EngagementLevel)
ConcernStatusField = _enum("ConcernStatusEnum", ConcernStatus)


class VisibleLinksMixin:
    """Related ids: those the user may see (or already linked) are accepted."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        user = getattr(self.context.get("request"), "user", None)  # type: ignore[attr-defined]
        instance = self.instance if isinstance(self.instance, self.Meta.model) else None  # type: ignore[attr-defined]
        for name, field in fields.items():
            model = RELATED.get(name)
            if model is None or field.read_only:
                continue
            allowed = visibility.visibility_q(model, user)
            if instance is not None:
                if isinstance(field, serializers.ManyRelatedField):
                    allowed |= Q(pk__in=getattr(instance, name).values("pk"))
                elif getattr(instance, f"{name}_id", None) is not None:
                    allowed |= Q(pk=getattr(instance, f"{name}_id"))
            target = (
                field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            )
            target.queryset = model.objects.filter(allowed)
        return fields


class VisibleManyField(serializers.ManyRelatedField):
    """Shows only the linked ids the user may see."""

    def get_attribute(self, instance: Any) -> Any:
        prefetched = getattr(instance, f"visible_{self.field_name}", None)
        if prefetched is not None:
            return prefetched
        user = getattr(self.context.get("request"), "user", None)
        model = RELATED[self.field_name]
        return getattr(instance, self.field_name).filter(visibility.visibility_q(model, user))


def _many(name: str, help_text: str) -> VisibleManyField:
    return VisibleManyField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=RELATED[name].objects.all()),
        required=False,
        help_text=help_text,
    )


COMMON_READ_ONLY = ["owner", "team", "created_at", "updated_at"]


def with_visible(queryset: Any, user: Any, name: str) -> Any:
    """Prefetch the linked rows of `name` the user may see (one query for the whole page)."""
    model = RELATED[name]
    return queryset.prefetch_related(
        Prefetch(
            name, queryset=model.objects.visible_to(user).only("id"), to_attr=f"visible_{name}"
        )
    )


# --- projects ----------------------------------------------------------------------------------
class StakeholderProjectSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    class Meta:
        model = StakeholderProject
        fields = [
            "id",
            "url",
            "name",
            "description",
            "location",
            "is_active",
            "response_days",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = COMMON_READ_ONLY


class StakeholderProjectViewSet(ServiceModelViewSet):
    """Projects and topics whose stakeholders are assessed, engaged and heard."""

    serializer_class = StakeholderProjectSerializer
    selector = staticmethod(selectors.project_list)
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)
    delete_service = staticmethod(services.project_delete)
    filterset_class = StakeholderProjectFilterSet
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["-is_active", "name", "id"]


# --- assessments -------------------------------------------------------------------------------
class StakeholderAssessmentSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    category = CategoryField(required=False)
    attitude = AttitudeField(required=False)
    salience = SalienceField(read_only=True, help_text="Computed from power, legitimacy, urgency.")
    quadrant = QuadrantField(read_only=True)
    power = serializers.IntegerField(min_value=1, max_value=5, required=False)
    interest = serializers.IntegerField(min_value=1, max_value=5, required=False)

    class Meta:
        model = StakeholderAssessment
        fields = [
            "id",
            "url",
            "organization",
            "person",
            "project",
            "category",
            "power",
            "interest",
            "legitimacy",
            "urgency",
            "attitude",
            "salience",
            "quadrant",
            "assessed_on",
            "assessed_by",
            "note",
            "is_current",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [*COMMON_READ_ONLY, "assessed_by", "is_current"]


class GridPositionSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    power = serializers.IntegerField()
    interest = serializers.IntegerField()
    attitude = AttitudeField()
    assessed_on = serializers.DateField()


class GridPointSerializer(serializers.Serializer):
    name = serializers.CharField()
    organization = serializers.IntegerField(allow_null=True)
    person = serializers.IntegerField(allow_null=True)
    project = serializers.IntegerField(allow_null=True)
    category = CategoryField()
    salience = SalienceField()
    quadrant = QuadrantField()
    current = GridPositionSerializer()
    earlier = GridPositionSerializer(allow_null=True, help_text="The assessment before, if any.")


def _position(row: StakeholderAssessment | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "assessment": row.pk,
        "power": row.power,
        "interest": row.interest,
        "attitude": row.attitude,
        "assessed_on": row.assessed_on,
    }


def grid_data(grid: selectors.Grid) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "organization": p.current.organization_id,
            "person": p.current.person_id,
            "project": p.current.project_id,
            "category": p.current.category,
            "salience": p.current.salience,
            "quadrant": p.quadrant,
            "current": _position(p.current),
            "earlier": _position(p.earlier),
        }
        for p in grid.points
    ]


class GridParamsSerializer(serializers.Serializer):
    project = serializers.IntegerField(required=False, min_value=1)
    category = serializers.ChoiceField(choices=StakeholderCategory.choices, required=False)


class HistoryParamsSerializer(serializers.Serializer):
    organization = serializers.IntegerField(required=False, min_value=1)
    person = serializers.IntegerField(required=False, min_value=1)
    project = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("organization")) == bool(attrs.get("person")):
            raise serializers.ValidationError(
                {"organization": "Give either an organization or a person."}
            )
        return attrs


class StakeholderAssessmentViewSet(ServiceModelViewSet):
    """Assessments of organizations and people (current and earlier: filter `history=all` for
    the earlier ones too); each re-assessment is a new one."""

    serializer_class = StakeholderAssessmentSerializer
    selector = staticmethod(selectors.assessment_list)
    create_service = staticmethod(services.assessment_create)
    update_service = staticmethod(services.assessment_update)
    delete_service = staticmethod(services.assessment_delete)
    filterset_class = StakeholderAssessmentFilterSet
    ordering_fields = ["assessed_on", "power", "interest", "id"]
    ordering = ["-assessed_on", "-id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("project", OpenApiTypes.INT, description="A project's id"),
            OpenApiParameter("category", str, enum=StakeholderCategory.values),
        ],
        responses=GridPointSerializer(many=True),
        summary="The power–interest grid",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def grid(self, request):
        """Current position of every stakeholder you may see (of one project, one category)
        and the position of the assessment before it."""
        params = GridParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        project = None
        if values.get("project"):
            project = selectors.project_list(request.user).filter(pk=values["project"]).first()
            if project is None:
                raise DRFValidationError({"project": ["No project you may see has this id."]})
        grid = selectors.power_interest_grid(
            request.user, project=project, category=values.get("category", "")
        )
        return Response(GridPointSerializer(grid_data(grid), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT),
            OpenApiParameter("person", OpenApiTypes.INT),
            OpenApiParameter("project", OpenApiTypes.INT, description="Left out: every project"),
        ],
        responses=StakeholderAssessmentSerializer(many=True),
        summary="A stakeholder's assessments over time",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="over-time",
        filter_backends=[],
        pagination_class=None,
    )
    def over_time(self, request):
        """Every assessment you may see of one organization or person, oldest first."""
        params = HistoryParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        rows = selectors.stakeholder_history(
            request.user,
            organization=values.get("organization"),
            person=values.get("person") if not values.get("organization") else None,
            project=values.get("project") or "any",
        )
        data = self.get_serializer(rows, many=True).data
        return Response(data)


# --- engagement plans --------------------------------------------------------------------------
class EngagementPlanSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    current_level = EngagementLevelField(required=False)
    target_level = EngagementLevelField(required=False)
    gap = serializers.IntegerField(read_only=True, help_text="Steps from current to target.")

    class Meta:
        model = EngagementPlan
        fields = [
            "id",
            "url",
            "organization",
            "person",
            "project",
            "current_level",
            "target_level",
            "gap",
            "next_review_on",
            "note",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = COMMON_READ_ONLY


class EngagementPlanViewSet(ServiceModelViewSet):
    """Engagement plans: from the current to the target engagement level."""

    serializer_class = EngagementPlanSerializer
    selector = staticmethod(selectors.plan_list)
    create_service = staticmethod(services.plan_create)
    update_service = staticmethod(services.plan_update)
    delete_service = staticmethod(services.plan_delete)
    filterset_class = EngagementPlanFilterSet
    ordering_fields = ["next_review_on", "id"]
    ordering = ["next_review_on", "id"]


class PlannedEngagementSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    class Meta:
        model = PlannedEngagement
        fields = [
            "id",
            "plan",
            "planned_on",
            "kind",
            "purpose",
            "done",
            "interaction",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class PlannedEngagementViewSet(ServiceModelViewSet):
    """The planned contacts of the engagement plans you may see (filter by `plan`)."""

    serializer_class = PlannedEngagementSerializer
    selector = staticmethod(selectors.planned_engagement_list)
    create_service = staticmethod(services.planned_engagement_create)
    update_service = staticmethod(services.planned_engagement_update)
    delete_service = staticmethod(services.planned_engagement_delete)
    filterset_fields = ["plan", "done"]
    ordering_fields = ["planned_on", "id"]
    ordering = ["planned_on", "id"]


# --- concerns ----------------------------------------------------------------------------------
class ConcernSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    status = ConcernStatusField(read_only=True, help_text="Changed with `transition/`.")
    is_overdue = serializers.BooleanField(read_only=True)
    commitments = _many("commitments", "Ids of commitments made in return.")

    class Meta:
        model = Concern
        fields = [
            "id",
            "url",
            "title",
            "description",
            "organization",
            "person",
            "project",
            "consultation",
            "received_on",
            "status",
            "response_due_on",
            "responded_on",
            "resolved_on",
            "reopen_reason",
            "is_overdue",
            "commitments",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            *COMMON_READ_ONLY,
            "responded_on",
            "resolved_on",
            "reopen_reason",
        ]


class ConcernTransitionSerializer(serializers.Serializer):
    status = ConcernStatusField()
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed to reopen a resolved concern."
    )


class ConcernViewSet(ServiceModelViewSet):
    """Concerns raised by the community; filter `overdue=true` for unanswered ones past due."""

    serializer_class = ConcernSerializer
    selector = staticmethod(selectors.concern_list)
    create_service = staticmethod(services.concern_create)
    update_service = staticmethod(services.concern_update)
    delete_service = staticmethod(services.concern_delete)
    filterset_class = ConcernFilterSet
    ordering_fields = ["received_on", "response_due_on", "id"]

    def get_queryset(self):
        return with_visible(super().get_queryset(), self.request.user, "commitments")

    ordering = ["-received_on", "-id"]

    @extend_schema(
        request=ConcernTransitionSerializer,
        responses={200: ConcernSerializer},
        summary="Move the concern to another status",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Forward only (received → acknowledged → in progress → resolved → closed); a resolved
        concern may go back to in progress with a `reason`."""
        concern = self.get_object()
        params = ConcernTransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        saved = self._call(
            services.concern_transition,
            actor=request.user,
            concern=concern,
            status=params.validated_data["status"],
            reason=params.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(saved).data, status=status.HTTP_200_OK)


# --- consultations -----------------------------------------------------------------------------
class ConsultationSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    interactions = _many("interactions", "Ids of interactions held there.")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "url",
            "title",
            "kind",
            "project",
            "starts_on",
            "ends_on",
            "place",
            "note",
            "interactions",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = COMMON_READ_ONLY


class ConsultationViewSet(ServiceModelViewSet):
    """Public meetings, hearings and consultation rounds."""

    serializer_class = ConsultationSerializer
    selector = staticmethod(selectors.consultation_list)
    create_service = staticmethod(services.consultation_create)
    update_service = staticmethod(services.consultation_update)
    delete_service = staticmethod(services.consultation_delete)
    filterset_class = ConsultationFilterSet
    ordering_fields = ["starts_on", "id"]

    def get_queryset(self):
        return with_visible(super().get_queryset(), self.request.user, "interactions")

    ordering = ["-starts_on", "-id"]


router.register("projects", StakeholderProjectViewSet, basename="stakeholderproject")
router.register("assessments", StakeholderAssessmentViewSet, basename="stakeholderassessment")
router.register("engagement-plans", EngagementPlanViewSet, basename="engagementplan")
router.register("planned-engagements", PlannedEngagementViewSet, basename="plannedengagement")
router.register("concerns", ConcernViewSet, basename="concern")
router.register("consultations", ConsultationViewSet, basename="consultation")
