"""Pages of the product catalogue, declared on the generic views of `core`.

Members and viewers read; only administrators and managers get the edit pages (the services refuse
everyone else, these views just do not offer what would be refused).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDeleteView, ObjectEditView

from .. import selectors, services
from ..filtersets import ProductFilterSet
from ..forms import ProductForm
from ..models import Product
from ..tables import ProductTable


class CatalogueManagerOnly:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.sees_everything(request.user):
            raise PermissionDenied(
                _("Only administrators and managers change the product catalogue.")
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ProductEditView(CatalogueManagerOnly, ObjectEditView):
    pass


class ProductDeleteView(CatalogueManagerOnly, ObjectDeleteView):
    pass


class ProductViews(ModelViews):
    model = Product
    selector = staticmethod(selectors.product_list)
    namespace = "commerce"
    filterset_class = ProductFilterSet
    table_class = ProductTable
    form_class = ProductForm
    create_service = staticmethod(services.product_create)
    update_service = staticmethod(services.product_update)
    delete_service = staticmethod(services.product_delete)
    edit_view = ProductEditView
    detail_template = "commerce/product_detail.html"
