"""API of requests between internal business units (`/api/interactions/unit-requests/`).
Serializers validate; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accord.core.api import ServiceModelViewSet

from ..api import router
from ..models import UnitRequest, UnitRequestStatus
from . import selectors, services
from .filtersets import UnitRequestFilterSet


@extend_schema_field(
    {"type": "string", "enum": list(UnitRequestStatus.values)},
    component_name="UnitRequestStatusEnum",
)
class UnitRequestStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=UnitRequestStatus.choices, **kwargs)


class UnitRequestSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    status = UnitRequestStatusField(required=False)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open and past its due date.")

    class Meta:
        model = UnitRequest
        fields = [
            "id",
            "url",
            "title",
            "requester",
            "server",
            "description",
            "status",
            "due_on",
            "is_overdue",
            "closed_on",
            "requested_by",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["closed_on", "owner", "team", "created_at", "updated_at"]
        extra_kwargs = {
            "title": {"required": False, "allow_blank": True},
            "requester": {"required": False, "help_text": "An internal unit you may see."},
            "server": {"required": False, "help_text": "Another internal unit you may see."},
        }


class UnitRequestViewSet(ServiceModelViewSet):
    """Requests between internal business units, under the visibility rule."""

    serializer_class = UnitRequestSerializer
    selector = staticmethod(selectors.unit_request_list)
    create_service = staticmethod(services.unit_request_create)
    update_service = staticmethod(services.unit_request_update)
    delete_service = staticmethod(services.unit_request_delete)
    filterset_class = UnitRequestFilterSet
    ordering_fields = ["due_on", "created_at", "title", "id"]
    ordering = ["-created_at", "-id"]


router.register("unit-requests", UnitRequestViewSet, basename="unitrequest")
