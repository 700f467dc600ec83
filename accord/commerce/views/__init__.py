"""Pages of the commerce app, one module per area."""

from .products import ProductViews

__all__ = ["ProductViews"]
