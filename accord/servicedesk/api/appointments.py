"""API of service appointments and schedules: the collections (filters as on the list pages) and
`generate/` on a schedule. Serializers validate; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization, Person

from ..filtersets.appointments import AppointmentFilterSet, ScheduleFilterSet
from ..models import AppointmentKind, AppointmentStatus, ServiceAppointment, ServiceSchedule
from ..selectors import appointments as selectors
from ..services import appointments as services
from .router import router


@extend_schema_field(
    {"type": "string", "enum": list(AppointmentKind.values)},
    component_name="ServiceAppointmentKindEnum",
)
class AppointmentKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AppointmentKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(AppointmentStatus.values)},
    component_name="ServiceAppointmentStatusEnum",
)
class AppointmentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AppointmentStatus.choices, **kwargs)


class VisiblePeopleField(serializers.ManyRelatedField):
    """Ids of their people: shows those the user may see; accepts those the user may see and
    those already linked."""

    def get_attribute(self, instance: Any) -> Any:
        prefetched = getattr(instance, "visible_people", None)
        if prefetched is not None:
            return prefetched
        user = getattr(self.context.get("request"), "user", None)
        return instance.people.filter(visibility.visibility_q(Person, user))


def _people_field() -> VisiblePeopleField:
    return VisiblePeopleField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Person.objects.all()),
        required=False,
        help_text="Ids of their people (at the organization) you may see.",
    )


class _LimitedMixin:
    """Organization and people choices limited to what the user may see (plus what is linked)."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        user = getattr(self.context.get("request"), "user", None)  # type: ignore[attr-defined]
        instance = self.instance if hasattr(self.instance, "pk") else None  # type: ignore[attr-defined]
        allowed = visibility.visibility_q(Person, user)
        orgs = visibility.visibility_q(Organization, user)
        if instance is not None:
            allowed |= Q(pk__in=instance.people.values("pk"))
            orgs |= Q(pk=instance.organization_id)
        fields["people"].child_relation.queryset = Person.objects.filter(allowed)
        fields["organization"].queryset = Organization.objects.filter(orgs)
        return fields


class AppointmentSerializer(_LimitedMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    kind = AppointmentKindField(required=False)
    status = AppointmentStatusField(required=False)
    people = _people_field()
    training = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The training (kind training), for registrations."
    )
    topic = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Trainings only."
    )
    capacity = serializers.IntegerField(
        write_only=True, required=False, min_value=1, help_text="Trainings only: seats."
    )
    registration_deadline = serializers.DateField(
        write_only=True, required=False, allow_null=True, help_text="Trainings only."
    )

    class Meta:
        model = ServiceAppointment
        fields = [
            "id",
            "url",
            "organization",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "status",
            "location",
            "online_url",
            "outcome",
            "people",
            "staff",
            "schedule",
            "occurrence_start",
            "edited",
            "requested_by_portal",
            "training",
            "topic",
            "capacity",
            "registration_deadline",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "schedule",
            "occurrence_start",
            "edited",
            "requested_by_portal",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # the service checks the dates against the stored record, naming the field
        return attrs


class ScheduleSerializer(_LimitedMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    kind = AppointmentKindField(required=False)
    people = _people_field()
    rule = serializers.CharField(
        max_length=250,
        help_text="An iCalendar RRULE without DTSTART/COUNT/UNTIL, e.g. FREQ=MONTHLY;INTERVAL=6.",
    )

    class Meta:
        model = ServiceSchedule
        fields = [
            "id",
            "url",
            "organization",
            "kind",
            "title",
            "rule",
            "starts_at",
            "until",
            "count",
            "duration_minutes",
            "location",
            "online_url",
            "notes",
            "is_active",
            "people",
            "staff",
            "generated_until",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["generated_until", "owner", "team", "created_at", "updated_at"]


class GenerateParamsSerializer(serializers.Serializer):
    horizon_days = serializers.IntegerField(
        min_value=1, max_value=730, required=False, help_text="Default 90."
    )


class GenerationResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()


class AppointmentViewSet(ServiceModelViewSet):
    """Service appointments under the visibility rule (our staff at an appointment see it too)."""

    serializer_class = AppointmentSerializer
    selector = staticmethod(selectors.appointment_api_list)
    create_service = staticmethod(services.appointment_create)
    update_service = staticmethod(services.appointment_update)
    delete_service = staticmethod(services.appointment_delete)
    filterset_class = AppointmentFilterSet
    ordering_fields = ["starts_at", "title", "status", "created_at", "id"]
    ordering = ["starts_at", "id"]


class ScheduleViewSet(ServiceModelViewSet):
    """Recurring service schedules; creating or changing one generates its appointments."""

    serializer_class = ScheduleSerializer
    selector = staticmethod(selectors.schedule_api_list)
    create_service = staticmethod(services.schedule_create)
    update_service = staticmethod(services.schedule_update)
    delete_service = staticmethod(services.schedule_delete)
    filterset_class = ScheduleFilterSet
    ordering_fields = ["title", "starts_at", "created_at", "id"]
    ordering = ["title", "id"]

    @extend_schema(
        request=GenerateParamsSerializer,
        responses=GenerationResultSerializer,
        summary="Generate the schedule's upcoming appointments",
    )
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        """Create the missing appointments of the next days (default 90); nothing twice."""
        schedule = self.get_object()
        params = GenerateParamsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = self._call(
            services.schedule_generate,
            actor=request.user,
            schedule=schedule,
            horizon_days=params.validated_data.get("horizon_days"),
        )
        return Response(
            GenerationResultSerializer(
                {"created": result.created, "updated": result.updated, "deleted": result.deleted}
            ).data
        )


router.register("appointments", AppointmentViewSet, basename="serviceappointment")
router.register("schedules", ScheduleViewSet, basename="serviceschedule")
