"""Writes of the commerce app: the product catalogue (administrators and managers only)."""

from .products import product_create, product_delete, product_update

__all__ = ["product_create", "product_delete", "product_update"]
