"""Writes of the community app (keyword-only, one transaction each)."""

from .concerns import (  # noqa: F401
    allowed_transitions,
    concern_create,
    concern_delete,
    concern_reminders,
    concern_transition,
    concern_update,
    default_due,
)
from .engagement import (  # noqa: F401
    consultation_create,
    consultation_delete,
    consultation_update,
    plan_create,
    plan_delete,
    plan_update,
    planned_engagement_create,
    planned_engagement_delete,
    planned_engagement_update,
)
from .stakeholders import (  # noqa: F401
    assessment_create,
    assessment_delete,
    assessment_update,
    project_create,
    project_delete,
    project_update,
    reassessment_initial,
    refresh_current,
)
