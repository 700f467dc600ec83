"""Writes of the pipeline app: opportunities (with stage history) and their product lines."""

from .lines import (
    opportunity_line_add,
    opportunity_line_create,
    opportunity_line_remove,
    opportunity_line_update,
)
from .opportunities import (
    STALE_VERSION,
    opportunity_create,
    opportunity_delete,
    opportunity_update,
)

__all__ = [
    "STALE_VERSION",
    "opportunity_create",
    "opportunity_delete",
    "opportunity_line_add",
    "opportunity_line_create",
    "opportunity_line_remove",
    "opportunity_line_update",
    "opportunity_update",
]
