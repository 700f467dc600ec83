"""API of trainings: the collection (create makes the appointment of kind training too),
`register/`, `registrations/`, `attendance/` on a training and `cancel/` on a registration."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization, Person

from ..filtersets.trainings import TrainingFilterSet
from ..models import RegistrationStatus, Training, TrainingRegistration
from ..selectors import trainings as selectors
from ..services import trainings as services
from .appointments import AppointmentStatusField
from .router import router


@extend_schema_field(
    {"type": "string", "enum": list(RegistrationStatus.values)},
    component_name="TrainingRegistrationStatusEnum",
)
class RegistrationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RegistrationStatus.choices, **kwargs)


class TrainingSerializer(serializers.ModelSerializer):
    """A training with its appointment's facts; on create the appointment is made from
    `organization`, `title`, `starts_at`, `ends_at` (and optionally place, link, status)."""

    url = serializers.URLField(source="get_absolute_url", read_only=True)
    appointment = serializers.PrimaryKeyRelatedField(read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        source="appointment.organization", queryset=Organization.objects.all(), required=False
    )
    title = serializers.CharField(source="appointment.title", max_length=200, required=False)
    starts_at = serializers.DateTimeField(source="appointment.starts_at", required=False)
    ends_at = serializers.DateTimeField(source="appointment.ends_at", required=False)
    location = serializers.CharField(
        source="appointment.location", max_length=300, required=False, allow_blank=True
    )
    online_url = serializers.URLField(
        source="appointment.online_url", max_length=500, required=False, allow_blank=True
    )
    status = AppointmentStatusField(source="appointment.status", required=False)
    seats_taken = serializers.IntegerField(source="seats", read_only=True)
    waitlisted = serializers.IntegerField(source="waiting", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "url",
            "appointment",
            "organization",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "status",
            "topic",
            "capacity",
            "registration_deadline",
            "seats_taken",
            "waitlisted",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["organization"].queryset = Organization.objects.visible_to(user)
        return fields


def flatten(validated: dict[str, Any]) -> dict[str, Any]:
    """The serializer's nested `appointment` values as flat service data."""
    data = dict(validated)
    data.update(data.pop("appointment", {}) or {})
    return data


class RegisterSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["person"].queryset = Person.objects.visible_to(user)
        return fields


class RegistrationSerializer(serializers.ModelSerializer):
    status = RegistrationStatusField(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = TrainingRegistration
        fields = ["id", "training", "person", "person_name", "status", "registered_at", "note"]
        read_only_fields = fields


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        help_text="Ids of the people who attended; the other seated people become no-shows.",
    )


class AttendanceResultSerializer(serializers.Serializer):
    attended = serializers.IntegerField()
    no_show = serializers.IntegerField()


class TrainingViewSet(ServiceModelViewSet):
    """Trainings (visible as their appointment) with seats taken and the waitlist."""

    serializer_class = TrainingSerializer
    selector = staticmethod(selectors.training_list)
    delete_service = staticmethod(services.training_delete)
    filterset_class = TrainingFilterSet
    ordering_fields = ["appointment__starts_at", "topic", "capacity", "id"]
    ordering = ["-appointment__starts_at", "-id"]

    def perform_create(self, serializer):
        training = self._call(
            services.training_create,
            actor=self.request.user,
            data=flatten(serializer.validated_data),
        )
        serializer.instance = selectors.training_list(self.request.user).get(pk=training.pk)

    def perform_update(self, serializer):
        training = self._call(
            services.training_update,
            actor=self.request.user,
            instance=serializer.instance,
            data=flatten(serializer.validated_data),
        )
        serializer.instance = selectors.training_list(self.request.user).get(pk=training.pk)

    @extend_schema(
        request=RegisterSerializer,
        responses={201: RegistrationSerializer},
        summary="Register a person (the waitlist when the training is full)",
    )
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        """Register a person: status "registered" while a seat is free, else "waitlisted"."""
        training = self.get_object()
        params = RegisterSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        registration = self._call(
            services.registration_create,
            actor=request.user,
            training=training,
            person=params.validated_data["person"],
            note=params.validated_data.get("note", ""),
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=RegistrationSerializer(many=True), summary="The training's registrations"
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def registrations(self, request, pk=None):
        training = self.get_object()
        rows = selectors.registration_list(request.user, training).filter(
            person__in=Person.objects.visible_to(request.user)
        )
        return Response(RegistrationSerializer(rows, many=True).data)

    @extend_schema(
        request=AttendanceSerializer,
        responses=AttendanceResultSerializer,
        summary="Record attendance",
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """The people listed attended; the others with a seat did not come. Only once the
        training has started."""
        training = self.get_object()
        params = AttendanceSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        counts = self._call(
            services.training_record_attendance,
            actor=request.user,
            training=training,
            attended=params.validated_data["attended"],
        )
        return Response(AttendanceResultSerializer(counts).data)


class RegistrationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One registration; `cancel/` frees its seat (the first on the waitlist moves up)."""

    serializer_class = RegistrationSerializer

    def get_queryset(self):
        return TrainingRegistration.objects.visible_to(self.request.user).select_related("person")

    @extend_schema(request=None, responses=RegistrationSerializer, summary="Cancel a registration")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = get_object_or_404(self.get_queryset(), pk=pk)
        ServiceModelViewSet._call(
            self,  # type: ignore[arg-type]
            services.registration_cancel,
            actor=request.user,
            registration=registration,
        )
        registration.refresh_from_db()
        return Response(RegistrationSerializer(registration).data)


router.register("trainings", TrainingViewSet, basename="training")
router.register("training-registrations", RegistrationViewSet, basename="trainingregistration")
