"""REST API of the community app, one module per area; importing them registers their viewsets."""

from . import community  # noqa: F401
from .router import router

__all__ = ["router"]
