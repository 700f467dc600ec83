"""List tables of the pipeline app, one module per area."""

from .opportunities import (
    OpportunityTable,
)

__all__ = [
    "OpportunityTable",
]
