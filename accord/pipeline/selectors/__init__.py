"""Reads of the pipeline app, visibility applied; one module per area."""

from .opportunities import (
    lost_reason_list,
    open_opportunities_of,
    opportunity_detail,
    opportunity_line_list,
    opportunity_list,
    pipeline_list,
    stage_list,
)

__all__ = [
    "lost_reason_list",
    "open_opportunities_of",
    "opportunity_detail",
    "opportunity_line_list",
    "opportunity_list",
    "pipeline_list",
    "stage_list",
]
