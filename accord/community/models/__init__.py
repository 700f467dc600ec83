"""Models of the community app, one module per area; each is imported here."""

from .community import (  # noqa: F401
    Concern,
    Consultation,
    EngagementPlan,
    PlannedEngagement,
    StakeholderAssessment,
    StakeholderProject,
)
