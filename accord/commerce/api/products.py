"""REST API of the product catalogue: serializers validate, the services write."""

from __future__ import annotations

from rest_framework import serializers

from accord.core.api import ServiceModelViewSet

from .. import selectors, services
from ..filtersets import ProductFilterSet
from ..models import Product
from .router import router


class ProductSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "url",
            "name",
            "sku",
            "description",
            "list_price",
            "currency",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ProductViewSet(ServiceModelViewSet):
    """The product catalogue; administrators and managers write, everyone reads."""

    serializer_class = ProductSerializer
    selector = staticmethod(selectors.product_list)
    create_service = staticmethod(services.product_create)
    update_service = staticmethod(services.product_update)
    delete_service = staticmethod(services.product_delete)
    filterset_class = ProductFilterSet
    search_fields = ["name", "sku"]
    ordering_fields = ["name", "sku", "list_price", "id"]
    ordering = ["name", "id"]


router.register("products", ProductViewSet, basename="product")
