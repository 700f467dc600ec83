"""Notifications over the API: the current user's notifications and marking them read."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from . import notifications
from .models import Notification
from .pagination import CappedCountPagination


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "due_on", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="The notifications to mark read; all unread ones when left out.",
    )


LIST_PARAMETERS = [
    OpenApiParameter(
        "unread", OpenApiTypes.BOOL, description="Only the notifications not read yet."
    ),
    OpenApiParameter("kind", str, description="Only notifications of this kind."),
    OpenApiParameter("q", str, description="Only notifications whose title contains this text."),
]


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS))
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The current user's notifications (reminders, alerts, portal news), newest first."""

    queryset = Notification.objects.none()  # typed path parameter for the schema
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = CappedCountPagination

    def get_queryset(self):
        params = self.request.query_params
        return notifications.user_notifications(
            self.request.user,
            unread=params.get("unread", "").lower() in ("1", "true"),
            kind=params.get("kind", ""),
            q=params.get("q", ""),
        )

    @extend_schema(
        request=MarkReadSerializer,
        responses=inline_serializer("MarkReadResult", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications.mark_read(request.user, data.validated_data.get("ids"))
        return Response({"marked": marked})


router = SimpleRouter()  # no API root: mounted at /api/ beside the apps
router.register("notifications", NotificationViewSet, basename="notification")
