"""Pages of the pipeline app, one module per area."""

from .opportunities import (
    OpportunityDetailView,
    OpportunityLineAddView,
    OpportunityLineRemoveView,
    OpportunityViews,
    OrganizationOpportunitiesView,
)

__all__ = [
    "OpportunityDetailView",
    "OpportunityLineAddView",
    "OpportunityLineRemoveView",
    "OpportunityViews",
    "OrganizationOpportunitiesView",
]
