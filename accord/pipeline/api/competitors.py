"""API of competitors: profiles, presence on opportunities and at accounts (writes through the
services), and the win/loss report as JSON (the numbers of the report page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization

from .. import selectors
from ..choices import CompetitorStatus
from ..forms.competitors import WinLossFilterForm
from ..models import AccountCompetitor, CompetitorProfile, OpportunityCompetitor
from ..selectors import competitors as competitor_selectors
from ..services import competitors as competitor_services
from .buying import enum_schema
from .router import router


class _VisibleCompetitorMixin:
    """Related organizations limited to those the caller may see (the services check the role)."""

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        for name in ("competitor", "account", "organization"):
            if name in fields and not fields[name].read_only:
                fields[name].queryset = Organization.objects.visible_to(user)
        if "opportunity" in fields and not fields["opportunity"].read_only:
            fields["opportunity"].queryset = selectors.opportunity_list(user)
        return fields


@extend_schema_field(enum_schema(CompetitorStatus.choices), component_name="CompetitorStatusEnum")
class CompetitorStatusField(serializers.ChoiceField):
    """A competitor's standing (one named component: other records have a `status` of their
    own)."""

    def __init__(self, **kwargs):
        super().__init__(choices=CompetitorStatus.choices, **kwargs)


class CompetitorProfileSerializer(_VisibleCompetitorMixin, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    class Meta:
        model = CompetitorProfile
        fields = [
            "id",
            "url",
            "organization",
            "organization_name",
            "products",
            "strengths",
            "weaknesses",
            "price_position",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"organization": {"validators": []}}


class OpportunityCompetitorSerializer(_VisibleCompetitorMixin, serializers.ModelSerializer):
    competitor_name = serializers.CharField(source="competitor.name", read_only=True)
    status = CompetitorStatusField(required=False, help_text="Left out on create: shortlisted.")

    class Meta:
        model = OpportunityCompetitor
        fields = [
            "id",
            "opportunity",
            "competitor",
            "competitor_name",
            "status",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []


class AccountCompetitorSerializer(_VisibleCompetitorMixin, serializers.ModelSerializer):
    competitor_name = serializers.CharField(source="competitor.name", read_only=True)
    status = CompetitorStatusField(required=False, help_text="Left out on create: incumbent.")

    class Meta:
        model = AccountCompetitor
        fields = [
            "id",
            "account",
            "competitor",
            "competitor_name",
            "status",
            "since",
            "products",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []


class CompetitorProfileViewSet(ServiceModelViewSet):
    """Profiles of competitors (organizations with the competitor role), one per organization."""

    serializer_class = CompetitorProfileSerializer
    selector = staticmethod(competitor_selectors.competitor_profile_list)
    create_service = staticmethod(competitor_services.competitor_profile_create)
    update_service = staticmethod(competitor_services.competitor_profile_update)
    delete_service = staticmethod(competitor_services.competitor_profile_delete)
    filterset_fields = ["organization", "price_position"]
    search_fields = ["organization__name", "products", "strengths", "weaknesses", "notes"]
    ordering = ["organization__name", "id"]


class OpportunityCompetitorViewSet(ServiceModelViewSet):
    """Competitors in the running for opportunities the caller may see."""

    serializer_class = OpportunityCompetitorSerializer
    selector = staticmethod(competitor_selectors.opportunity_competitor_list)
    create_service = staticmethod(competitor_services.opportunity_competitor_create)
    update_service = staticmethod(competitor_services.opportunity_competitor_update)
    delete_service = staticmethod(competitor_services.opportunity_competitor_remove)
    filterset_fields = ["opportunity", "competitor", "status"]
    ordering = ["opportunity", "id"]


class AccountCompetitorViewSet(ServiceModelViewSet):
    """Competitors present at client accounts the caller may see."""

    serializer_class = AccountCompetitorSerializer
    selector = staticmethod(competitor_selectors.account_competitor_list)
    create_service = staticmethod(competitor_services.account_competitor_create)
    update_service = staticmethod(competitor_services.account_competitor_update)
    delete_service = staticmethod(competitor_services.account_competitor_remove)
    filterset_fields = ["account", "competitor", "status"]
    ordering = ["account", "id"]


# --- win/loss report -----------------------------------------------------------------------------
class WinLossRowSerializer(serializers.Serializer):
    key = serializers.JSONField(
        allow_null=True, help_text="The group's key: a competitor or reason id, a code, a quarter."
    )
    label = serializers.CharField()
    won = serializers.IntegerField()
    lost = serializers.IntegerField()
    total = serializers.IntegerField()
    win_rate = serializers.FloatField(allow_null=True, help_text="Per cent; null without deals.")
    won_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    lost_amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class PricePressureSerializer(serializers.Serializer):
    present_discount = serializers.FloatField(
        allow_null=True, help_text="Average discount (per cent) on won deals with a competitor."
    )
    present_deals = serializers.IntegerField(help_text="Won deals (with lines) it is based on.")
    absent_discount = serializers.FloatField(
        allow_null=True, help_text="Average discount (per cent) on won deals without one."
    )
    absent_deals = serializers.IntegerField()
    difference = serializers.FloatField(allow_null=True, help_text="Percentage points.")


class WinLossFiltersSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    pipeline_id = serializers.IntegerField(allow_null=True)
    owner_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()


class WinLossReportSerializer(serializers.Serializer):
    filters = WinLossFiltersSerializer()
    totals = WinLossRowSerializer()
    by_competitor = WinLossRowSerializer(many=True)
    no_competitor = WinLossRowSerializer(allow_null=True)
    by_reason = WinLossRowSerializer(many=True)
    by_industry = WinLossRowSerializer(many=True)
    by_region = WinLossRowSerializer(many=True)
    by_quarter = WinLossRowSerializer(many=True)
    price_pressure = PricePressureSerializer()


class WinLossViewSet(viewsets.ViewSet):
    """The win/loss report: deals the caller may see, closed in the period (default: the last
    twelve months), by competitor, lost reason, industry, region and quarter, and the average
    discount on won deals with and without a competitor present."""

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Closed on or after."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Closed on or before."),
            OpenApiParameter("pipeline", OpenApiTypes.INT),
            OpenApiParameter("owner", OpenApiTypes.INT),
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("currency", OpenApiTypes.STR, description="Default: EUR."),
        ],
        responses=WinLossReportSerializer,
    )
    def list(self, request):
        form = WinLossFilterForm(data=request.query_params)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        try:
            report = competitor_selectors.win_loss_report(request.user, form.report_filters())
        except DjangoValidationError as exc:  # pragma: no cover - the form checks the input
            raise ValidationError(exc.messages) from exc
        return Response(WinLossReportSerializer(report.as_dict()).data)


router.register("competitor-profiles", CompetitorProfileViewSet, basename="competitorprofile")
router.register(
    "opportunity-competitors", OpportunityCompetitorViewSet, basename="opportunitycompetitor"
)
router.register("account-competitors", AccountCompetitorViewSet, basename="accountcompetitor")
router.register("win-loss", WinLossViewSet, basename="winloss")
