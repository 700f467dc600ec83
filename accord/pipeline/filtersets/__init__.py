"""List filters of the pipeline app (pages and API), one module per area."""

from .opportunities import (
    OpportunityFilterSet,
)

__all__ = [
    "OpportunityFilterSet",
]
