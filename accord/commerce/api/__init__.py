"""REST API of the commerce app: serializers validate, the services write. One module per area;
importing them registers their viewsets on the router."""

from . import products, sales
from .router import router

__all__ = ["products", "router", "sales"]
