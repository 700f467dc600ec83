"""REST API of the servicedesk app, one module per area; importing them registers their viewsets."""

from . import appointments, cases, servicelevels, trainings  # noqa: F401  (appointments, schedules, trainings)  # noqa: F401  (cases and service levels)
from .router import router

__all__ = ["router"]
