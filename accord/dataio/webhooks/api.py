"""REST API of the webhooks app (administrators and managers; allowed hosts administrators):

* `endpoints/`: list, create (the answer carries the `secret`, once), change, delete;
  `{id}/rotate-secret/` (answer: the new secret), `{id}/test/` (queue a test event),
  `{id}/enable/` (re-enable after failures), `{id}/history/`;
* `deliveries/`: the delivery log, filtered by `endpoint`, `status`, `event`; one delivery with its
  payload; `{id}/redeliver/`;
* `allowed-hosts/`: hosts allowed as targets although internal.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import ServiceModelViewSet

from . import selectors, services
from .choices import EVENTS
from .filtersets import WebhookDeliveryFilterSet, WebhookEndpointFilterSet
from .models import AllowedWebhookHost, WebhookDelivery, WebhookEndpoint

router = DefaultRouter()


class WebhookManagerPermission(permissions.BasePermission):
    message = "Only administrators and managers manage webhooks."

    def has_permission(self, request, view) -> bool:
        return selectors.can_manage_webhooks(request.user)


class WebhookAdminPermission(permissions.BasePermission):
    message = "Only administrators allow internal hosts."

    def has_permission(self, request, view) -> bool:
        return selectors.can_allow_hosts(request.user)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """An endpoint; `events` matter when `all_events` is false. The URL is checked (also after DNS
    resolution): internal addresses are refused unless an administrator allowed the host."""

    url = serializers.CharField(max_length=2000)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), required=False, allow_empty=True
    )
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "web_url",
            "name",
            "url",
            "all_events",
            "events",
            "is_active",
            "owner",
            "consecutive_failures",
            "failing_since",
            "disabled_at",
            "disabled_reason",
            "secret_rotated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "consecutive_failures",
            "failing_since",
            "disabled_at",
            "disabled_reason",
            "secret_rotated_at",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret, shown in this answer only."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, shown in this answer only.")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True,
        help_text="pending (first attempt to come), failed (last attempt failed, a retry is "
        "scheduled at next_attempt_at), succeeded, gave_up (attempts used up or endpoint "
        "disabled), skipped (record deleted or no longer visible to the owner before sending).",
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "uuid",
            "endpoint",
            "event",
            "object_type",
            "object_id",
            "actor",
            "is_test",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "response_status",
            "response_body",
            "error",
            "duration_ms",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    payload = serializers.JSONField(read_only=True, allow_null=True)

    class Meta(WebhookDeliverySerializer.Meta):
        fields = [*WebhookDeliverySerializer.Meta.fields, "payload"]
        read_only_fields = fields


class AllowedWebhookHostSerializer(serializers.ModelSerializer):
    class Meta:
        model = AllowedWebhookHost
        fields = ["id", "host", "note", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]
        extra_kwargs = {"host": {"validators": []}}  # the service says "already allowed"


class WebhookEndpointViewSet(ServiceModelViewSet):
    """Webhook endpoints: where record changes are sent, signed (see docs/webhooks.md)."""

    permission_classes = [WebhookManagerPermission]
    serializer_class = WebhookEndpointSerializer
    filterset_class = WebhookEndpointFilterSet
    search_fields = ["name", "url"]
    ordering_fields = ["name", "created_at"]
    selector = staticmethod(selectors.endpoint_list)
    create_service = staticmethod(services.endpoint_create)
    update_service = staticmethod(services.endpoint_update)
    delete_service = staticmethod(services.endpoint_delete)

    @extend_schema(responses={201: WebhookEndpointCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        data = WebhookEndpointCreatedSerializer(
            serializer.instance, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """Make a new signing secret; every event from now on (retries too) is signed with it."""
        endpoint = self._call(
            services.endpoint_rotate_secret, actor=request.user, instance=self.get_object()
        )
        return Response({"secret": endpoint.secret})

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Queue a `webhook.test` event (one attempt, also for a disabled endpoint)."""
        delivery = self._call(
            services.endpoint_send_test, actor=request.user, instance=self.get_object()
        )
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=WebhookEndpointSerializer)
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        """Re-enable an endpoint that was disabled after failures (its URL is checked again)."""
        endpoint = self._call(
            services.endpoint_enable, actor=request.user, instance=self.get_object()
        )
        return Response(self.get_serializer(endpoint).data)


class WebhookDeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """The delivery log: each event sent to an endpoint, with the outcome of its last attempt."""

    permission_classes = [WebhookManagerPermission]
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilterSet
    search_fields = ["event", "error"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.delivery_list(self.request.user)
        return selectors.delivery_detail(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return WebhookDeliverySerializer
        return WebhookDeliveryDetailSerializer

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send this delivery's event again, as a new delivery with the same payload."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        from accord.core.api import as_drf_error

        try:
            new = services.delivery_redeliver(actor=request.user, instance=self.get_object())
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(WebhookDeliverySerializer(new).data, status=status.HTTP_202_ACCEPTED)


class AllowedWebhookHostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Hosts allowed as webhook targets although they are internal (administrators only)."""

    permission_classes = [WebhookAdminPermission]
    serializer_class = AllowedWebhookHostSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.allowed_host_list(self.request.user)

    def perform_create(self, serializer):
        from django.core.exceptions import ValidationError as DjangoValidationError

        from accord.core.api import as_drf_error

        try:
            serializer.instance = services.allowed_host_create(
                actor=self.request.user, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc

    def perform_destroy(self, instance):
        services.allowed_host_delete(actor=self.request.user, instance=instance)


router.register("endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("allowed-hosts", AllowedWebhookHostViewSet, basename="webhook-allowed-host")
