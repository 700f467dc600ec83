"""Models of the pipeline: opportunities and their stages, buying centers, competitors, revenue
targets and market signals (one module each)."""

from .buying import BuyingCenterMember
from .competitors import AccountCompetitor, CompetitorProfile, OpportunityCompetitor
from .opportunities import (
    NOT_NEGATIVE,
    PERCENT,
    LostReason,
    Opportunity,
    OpportunityLine,
    Pipeline,
    Stage,
    StageChange,
)
from .signals import MarketSignal
from .targets import RevenueTarget

__all__ = [
    "NOT_NEGATIVE",
    "PERCENT",
    "AccountCompetitor",
    "BuyingCenterMember",
    "CompetitorProfile",
    "LostReason",
    "MarketSignal",
    "Opportunity",
    "OpportunityCompetitor",
    "OpportunityLine",
    "Pipeline",
    "RevenueTarget",
    "Stage",
    "StageChange",
]
