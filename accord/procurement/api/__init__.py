"""REST API of the procurement app, one module per area; importing them registers their viewsets."""

# one module per area: scorecards and budgets; suppliers and purchases
from . import budgets, purchases, scorecards, suppliers  # noqa: F401
from .router import router

__all__ = ["router"]
