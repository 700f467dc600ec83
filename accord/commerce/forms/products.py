"""Forms of the commerce pages: they validate input; the services write."""

from __future__ import annotations

from accord.core.forms import ServiceModelForm

from ..models import Product


class ProductForm(ServiceModelForm):
    class Meta:
        model = Product
        fields = ["name", "sku", "description", "list_price", "currency", "active"]
