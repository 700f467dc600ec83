"""API of the service-level configuration: service hours, policies, client tiers and case
categories (everyone reads; administrators and managers write)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization

from ..filtersets.servicelevels import (
    CaseCategoryFilterSet,
    OrganizationServiceTierFilterSet,
    ServiceHoursFilterSet,
    ServiceLevelPolicyFilterSet,
)
from ..models import CaseCategory, OrganizationServiceTier, ServiceHours, ServiceLevelPolicy
from ..selectors import servicelevels as selectors
from ..services import servicelevels as services
from .router import router


class ServiceHoursSerializer(serializers.ModelSerializer):
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        source="weekday_numbers",
        help_text="Working weekdays, Monday = 0.",
    )

    class Meta:
        model = ServiceHours
        fields = ["id", "name", "team", "weekdays", "start_time", "end_time", "state", "time_zone"]

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values = super().to_internal_value(data)
        if "weekday_numbers" in values:
            values["weekdays"] = ",".join(
                str(d) for d in sorted(set(values.pop("weekday_numbers")))
            )
        return values


class ServiceLevelPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLevelPolicy
        fields = [
            "id",
            "name",
            "priority",
            "tier",
            "first_response_hours",
            "resolution_hours",
            "warning_percent",
            "active",
        ]
        validators: list = []  # the service refuses a second policy of a priority and tier


class OrganizationServiceTierSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())

    class Meta:
        model = OrganizationServiceTier
        fields = ["id", "organization", "tier", "note"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["organization"].queryset = Organization.objects.visible_to(user)
        return fields


class CaseCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseCategory
        fields = ["id", "name", "order", "active"]
        extra_kwargs = {"name": {"validators": []}}


class ServiceHoursViewSet(ServiceModelViewSet):
    serializer_class = ServiceHoursSerializer
    selector = staticmethod(selectors.service_hours_list)
    create_service = staticmethod(services.service_hours_create)
    update_service = staticmethod(services.service_hours_update)
    delete_service = staticmethod(services.service_hours_delete)
    filterset_class = ServiceHoursFilterSet


class ServiceLevelPolicyViewSet(ServiceModelViewSet):
    serializer_class = ServiceLevelPolicySerializer
    selector = staticmethod(selectors.policy_list)
    create_service = staticmethod(services.policy_create)
    update_service = staticmethod(services.policy_update)
    delete_service = staticmethod(services.policy_delete)
    filterset_class = ServiceLevelPolicyFilterSet


class OrganizationServiceTierViewSet(ServiceModelViewSet):
    serializer_class = OrganizationServiceTierSerializer
    selector = staticmethod(selectors.tier_list)
    create_service = staticmethod(services.tier_create)
    update_service = staticmethod(services.tier_update)
    delete_service = staticmethod(services.tier_delete)
    filterset_class = OrganizationServiceTierFilterSet


class CaseCategoryViewSet(ServiceModelViewSet):
    serializer_class = CaseCategorySerializer
    selector = staticmethod(selectors.category_list)
    create_service = staticmethod(services.category_create)
    update_service = staticmethod(services.category_update)
    delete_service = staticmethod(services.category_delete)
    filterset_class = CaseCategoryFilterSet


router.register("service-hours", ServiceHoursViewSet, basename="servicehours")
router.register("service-level-policies", ServiceLevelPolicyViewSet, basename="servicelevelpolicy")
router.register("client-tiers", OrganizationServiceTierViewSet, basename="organizationservicetier")
router.register("case-categories", CaseCategoryViewSet, basename="casecategory")
