"""API of purchases: purchase orders with their lines nested (lines may be sent when creating an
order; afterwards through `order-lines/`), and deliveries with their lines. Serializers
validate; the services write and apply the rules (over-delivery is flagged, not refused)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from rest_framework import serializers

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization

from ..filtersets.purchases import DeliveryFilterSet, PurchaseOrderFilterSet
from ..models import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplyCategory,
)
from ..selectors import purchases as selectors
from ..services import purchases as services
from .router import router


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=24, decimal_places=4, read_only=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=SupplyCategory.objects.all(), required=False, allow_null=True
    )
    line_no = serializers.IntegerField(
        min_value=1, required=False, help_text="Left out: the next number."
    )

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "order",
            "line_no",
            "description",
            "category",
            "quantity",
            "unit",
            "unit_price",
            "delivery_date",
            "amount",
        ]
        read_only_fields = ["order"]
        validators: list = []


class NewLineSerializer(PurchaseOrderLineSerializer):
    class Meta(PurchaseOrderLineSerializer.Meta):
        ref_name = "PurchaseOrderNewLine"


class PurchaseOrderSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        help_text="A supplier or service provider you may see.",
    )
    business_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="An internal business unit you may see.",
    )
    number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="Left out: the next number."
    )
    total = serializers.DecimalField(max_digits=24, decimal_places=4, read_only=True)
    lines = NewLineSerializer(
        many=True, required=False, help_text="On create: the order's lines. Read: all lines."
    )

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "url",
            "number",
            "supplier",
            "business_unit",
            "ordered_on",
            "currency",
            "status",
            "note",
            "external_id",
            "total",
            "lines",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "team", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        for name in ("supplier", "business_unit"):
            allowed = visibility.visibility_q(Organization, user)
            if isinstance(self.instance, PurchaseOrder):
                allowed |= Q(pk=getattr(self.instance, f"{name}_id"))
            fields[name].queryset = Organization.objects.filter(allowed)
        if isinstance(self.instance, PurchaseOrder):
            fields["lines"].read_only = True
        return fields

    def validate_number(self, value: str) -> str:
        value = (value or "").strip()
        if value:
            qs = PurchaseOrder.objects.filter(number=value)
            if isinstance(self.instance, PurchaseOrder):
                qs = qs.exclude(pk=self.instance.pk)
            if qs.exists():
                raise serializers.ValidationError("An order with this number exists already.")
        return value


class PurchaseOrderViewSet(ServiceModelViewSet):
    """Purchase orders under the visibility rule, with their lines."""

    serializer_class = PurchaseOrderSerializer
    selector = staticmethod(selectors.purchase_order_api_list)
    create_service = staticmethod(services.purchase_order_create)
    update_service = staticmethod(services.purchase_order_update)
    delete_service = staticmethod(services.purchase_order_delete)
    filterset_class = PurchaseOrderFilterSet
    ordering_fields = ["ordered_on", "number", "total", "id"]
    ordering = ["-ordered_on", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["lines"] = [dict(line) for line in data.get("lines") or []]
        order = self._call(services.purchase_order_create, actor=self.request.user, data=data)
        serializer.instance = self.get_queryset().get(pk=order.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("lines", None)
        order = self._call(
            services.purchase_order_update,
            actor=self.request.user,
            instance=serializer.instance,
            data=data,
        )
        serializer.instance = self.get_queryset().get(pk=order.pk)


class OrderLineSerializer(PurchaseOrderLineSerializer):
    order = serializers.PrimaryKeyRelatedField(queryset=PurchaseOrder.objects.all())

    class Meta(PurchaseOrderLineSerializer.Meta):
        read_only_fields: list[str] = []
        ref_name = "PurchaseOrderLine"

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["order"].queryset = PurchaseOrder.objects.visible_to(user)
        if isinstance(self.instance, PurchaseOrderLine):
            fields["order"].read_only = True
        return fields


class PurchaseOrderLineViewSet(ServiceModelViewSet):
    """Lines of purchase orders (visible with their order)."""

    serializer_class = OrderLineSerializer
    selector = staticmethod(selectors.purchase_order_line_list)
    update_service = staticmethod(services.purchase_order_line_update)
    delete_service = staticmethod(services.purchase_order_line_delete)
    filterset_fields = ["order", "category"]
    ordering_fields = ["line_no", "id"]
    ordering = ["order", "line_no"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        order = data.pop("order")
        serializer.instance = self._call(
            services.purchase_order_line_create, actor=self.request.user, order=order, data=data
        )


class DeliveryLineSerializer(serializers.ModelSerializer):
    order_line = serializers.PrimaryKeyRelatedField(queryset=PurchaseOrderLine.objects.all())

    class Meta:
        model = DeliveryLine
        fields = [
            "id",
            "order_line",
            "quantity_received",
            "quantity_rejected",
            "unit_price_charged",
            "is_over_delivery",
            "over_delivery_note",
        ]
        read_only_fields = ["is_over_delivery", "over_delivery_note"]
        validators: list = []


class DeliverySerializer(serializers.ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(queryset=PurchaseOrder.objects.all())
    lines = DeliveryLineSerializer(many=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "order",
            "delivered_on",
            "delivery_note_number",
            "note",
            "lines",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["order"].queryset = PurchaseOrder.objects.visible_to(user)
        if isinstance(self.instance, Delivery):
            fields["order"].read_only = True
        fields["lines"].child.fields["order_line"].queryset = PurchaseOrderLine.objects.visible_to(
            user
        )
        return fields


class DeliveryViewSet(ServiceModelViewSet):
    """Deliveries of purchase orders with their lines; the order's status follows them."""

    serializer_class = DeliverySerializer
    selector = staticmethod(selectors.delivery_list)
    delete_service = staticmethod(services.delivery_delete)
    filterset_class = DeliveryFilterSet
    ordering_fields = ["delivered_on", "id"]
    ordering = ["-delivered_on", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        order = data.pop("order")
        lines = [dict(line) for line in data.pop("lines", [])]
        serializer.instance = self._call(
            services.delivery_create, actor=self.request.user, order=order, data=data, lines=lines
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("order", None)
        lines = data.pop("lines", None)
        serializer.instance = self._call(
            services.delivery_update,
            actor=self.request.user,
            instance=serializer.instance,
            data=data,
            lines=[dict(line) for line in lines] if lines is not None else None,
        )


router.register("purchase-orders", PurchaseOrderViewSet, basename="purchaseorder")
router.register("order-lines", PurchaseOrderLineViewSet, basename="purchaseorderline")
router.register("deliveries", DeliveryViewSet, basename="delivery")
