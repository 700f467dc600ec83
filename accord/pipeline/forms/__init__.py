"""Forms of the pipeline app, one module per area."""

from .opportunities import (
    OpportunityForm,
    OpportunityLineForm,
    StageChoiceField,
)

__all__ = [
    "OpportunityForm",
    "OpportunityLineForm",
    "StageChoiceField",
]
