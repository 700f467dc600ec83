"""REST API of the contracts app, one module per area; importing them registers their viewsets."""

# --- negotiations ---
from . import negotiations  # noqa: E402,F401
from .router import router

__all__ = ["router"]

# --- contracts ---
# --- commitments ---
from . import (
    commitments,  # noqa: E402,F401
    contracts,  # noqa: E402,F401
)
