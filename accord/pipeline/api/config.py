"""API of the pipeline configuration: pipelines, stages and lost reasons.

Everyone signed in reads them; administrators and managers write them, through the same services
as the configuration pages (which hold the rules and name the field in their messages).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accord.core import visibility
from accord.core.api import ServiceModelViewSet, as_drf_error

from ..models import LostReason, Pipeline, Stage
from ..selectors import config as config_selectors
from ..services import config as config_services
from .router import router


class ConfigPermission(permissions.BasePermission):
    """Signed-in users read; administrators and managers write."""

    message = _("Only administrators and managers may change the pipelines.")

    def has_permission(self, request, view) -> bool:
        if not visibility.is_authenticated(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return config_selectors.may_configure(request.user)


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "pipeline", "name", "order", "probability", "kind", "is_commit"]
        extra_kwargs = {
            "order": {"required": False, "help_text": "Left out: after the last stage."},
            "probability": {"help_text": "Default probability of the stage, per cent (0–100)."},
            "is_commit": {"help_text": "Open stages only: counts as committed in the forecast."},
        }
        # the service checks unique names (per pipeline, ignoring case) and names the field
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["pipeline"].read_only = True  # a stage stays in its pipeline
        return fields


class PipelineSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)
    copy_stages_from = serializers.PrimaryKeyRelatedField(
        queryset=Pipeline.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="On create: copy this pipeline's stages; left out: a few starter stages.",
    )

    class Meta:
        model = Pipeline
        fields = ["id", "name", "is_default", "stages", "copy_stages_from"]
        extra_kwargs = {
            "name": {"validators": []},
            "is_default": {"help_text": "Exactly one pipeline is the default."},
        }


class LostReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = LostReason
        fields = ["id", "name", "active", "order"]
        extra_kwargs = {
            "name": {"validators": []},
            "order": {"required": False},
            "active": {"help_text": "Inactive reasons stay on past deals but are not offered."},
        }


class StageOrderSerializer(serializers.Serializer):
    stages = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Every stage id of the pipeline exactly once, in the new order.",
    )


class ConfigViewSet(ServiceModelViewSet):
    permission_classes = [ConfigPermission]
    history = None  # configuration keeps no change history of its own


class PipelineViewSet(ConfigViewSet):
    """Pipelines with their stages. Exactly one is the default; a new one starts with a copy of
    another's stages or with starter stages; one holding opportunities cannot be deleted."""

    serializer_class = PipelineSerializer
    selector = staticmethod(config_selectors.pipeline_config_list)
    create_service = staticmethod(config_services.pipeline_create)
    update_service = staticmethod(config_services.pipeline_update)
    delete_service = staticmethod(config_services.pipeline_delete)
    filterset_fields = ["is_default"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    @extend_schema(request=StageOrderSerializer, responses=StageSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="reorder-stages")
    def reorder_stages(self, request, pk=None):
        """Put the pipeline's stages in a new order."""
        pipeline = get_object_or_404(self.get_queryset(), pk=pk)
        body = StageOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            stages = config_services.stage_reorder(
                actor=request.user, pipeline=pipeline, stage_ids=body.validated_data["stages"]
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(StageSerializer(stages, many=True).data)


class StageViewSet(ConfigViewSet):
    """Stages of the pipelines: at least one open, one won and one lost per pipeline; a stage
    holding opportunities cannot be deleted nor change its kind."""

    serializer_class = StageSerializer
    selector = staticmethod(config_selectors.stage_config_list)
    create_service = staticmethod(config_services.stage_create)
    update_service = staticmethod(config_services.stage_update)
    delete_service = staticmethod(config_services.stage_delete)
    filterset_fields = ["pipeline", "kind", "is_commit"]
    ordering_fields = ["order", "name", "id"]


class LostReasonViewSet(ConfigViewSet):
    """Why opportunities are lost; `?active=true` gives those offered for new losses. A reason
    that was given cannot be deleted (deactivate it)."""

    serializer_class = LostReasonSerializer
    selector = staticmethod(config_selectors.lost_reason_config_list)
    create_service = staticmethod(config_services.lost_reason_create)
    update_service = staticmethod(config_services.lost_reason_update)
    delete_service = staticmethod(config_services.lost_reason_delete)
    filterset_fields = ["active"]
    search_fields = ["name"]
    ordering_fields = ["order", "name", "id"]


router.register("pipelines", PipelineViewSet, basename="pipeline")
router.register("stages", StageViewSet, basename="stage")
router.register("lost-reasons", LostReasonViewSet, basename="lostreason")
