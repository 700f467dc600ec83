"""REST API of the pipeline: serializers validate, the services write (and apply the rules)."""

from __future__ import annotations

from rest_framework import serializers

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization

from .. import selectors, services
from ..filtersets import OpportunityFilterSet
from ..models import Opportunity, OpportunityLine, Pipeline, Stage, StageChange
from .router import router


class VisibleOrganizationsMixin:
    visible_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        for name in self.visible_fields:
            field = fields[name]
            if hasattr(field.queryset, "visible_to"):
                field.queryset = field.queryset.visible_to(user)
        return fields


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "changed_at", "changed_by"]


class OpportunitySerializer(VisibleOrganizationsMixin, serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    won_competitor = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="Follows the lines when the opportunity has lines.",
    )
    probability = serializers.IntegerField(
        required=False, allow_null=True, help_text="Per cent; left out: the stage's default."
    )
    pipeline = serializers.PrimaryKeyRelatedField(
        queryset=Pipeline.objects.all(), required=False, help_text="Left out: the stage's pipeline."
    )
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(),
        required=False,
        help_text="Left out on create: the pipeline's first stage.",
    )
    version = serializers.DateTimeField(
        write_only=True,
        required=False,
        help_text="The `updated_at` the change is based on; refused if the record changed since.",
    )

    visible_fields = ("organization", "won_competitor")

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "url",
            "organization",
            "title",
            "pipeline",
            "stage",
            "amount",
            "currency",
            "expected_close_date",
            "probability",
            "source",
            "next_step",
            "next_step_date",
            "lost_reason",
            "won_competitor",
            "closed_at",
            "version",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["closed_at", "owner", "team", "created_at", "updated_at"]
        # the services apply the rules (with messages naming the field), not DRF's validators
        extra_kwargs = {"currency": {"validators": []}}


class OpportunityLineSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    unit_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="Left out: the product's list price.",
    )

    class Meta:
        model = OpportunityLine
        fields = ["id", "opportunity", "product", "quantity", "unit_price", "discount", "total"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["opportunity"].queryset = selectors.opportunity_list(getattr(request, "user", None))
        return fields


class OpportunityViewSet(ServiceModelViewSet):
    """Opportunities under the visibility rule; stage changes are recorded by the service."""

    serializer_class = OpportunitySerializer
    selector = staticmethod(selectors.opportunity_list)
    create_service = staticmethod(services.opportunity_create)
    update_service = staticmethod(services.opportunity_update)
    delete_service = staticmethod(services.opportunity_delete)
    filterset_class = OpportunityFilterSet
    search_fields = ["title", "organization__name"]
    ordering_fields = ["expected_close_date", "amount", "probability", "title", "created_at", "id"]
    ordering = ["expected_close_date", "id"]


class OpportunityLineViewSet(ServiceModelViewSet):
    """Product lines of opportunities; the opportunity's amount follows them."""

    serializer_class = OpportunityLineSerializer
    selector = staticmethod(selectors.opportunity_line_list)
    create_service = staticmethod(services.opportunity_line_create)
    update_service = staticmethod(services.opportunity_line_update)
    delete_service = staticmethod(services.opportunity_line_remove)
    filterset_fields = ["opportunity", "product"]
    ordering = ["opportunity", "id"]


router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("opportunity-lines", OpportunityLineViewSet, basename="opportunityline")
# pipelines, stages and lost reasons: api/config.py
