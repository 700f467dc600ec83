"""Reads of the community app, visibility applied: lists, a project's page, the power–interest
grid (current position and the one before), a stakeholder's assessments over time, and what the
organization and person pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine import salience as engine
from accord.parties.models import Organization, Person

from ..choices import OPEN_CONCERN_STATUSES
from ..models import (
    Concern,
    Consultation,
    EngagementPlan,
    PlannedEngagement,
    StakeholderAssessment,
    StakeholderProject,
)

FRAGMENT_ROWS = 10


# --- lists -------------------------------------------------------------------------------------
def project_list(user: Any) -> QuerySet[StakeholderProject]:
    return StakeholderProject.objects.visible_to(user).select_related("owner", "team")


def assessment_list(user: Any) -> QuerySet[StakeholderAssessment]:
    return StakeholderAssessment.objects.visible_to(user).select_related(
        "organization", "person", "project", "owner", "team", "assessed_by"
    )


def plan_list(user: Any) -> QuerySet[EngagementPlan]:
    return EngagementPlan.objects.visible_to(user).select_related(
        "organization", "person", "project", "owner", "team"
    )


def planned_engagement_list(user: Any) -> QuerySet[PlannedEngagement]:
    return PlannedEngagement.objects.visible_to(user).select_related("plan", "interaction")


def concern_list(user: Any) -> QuerySet[Concern]:
    return Concern.objects.visible_to(user).select_related(
        "organization", "person", "project", "owner", "team"
    )


def consultation_list(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.visible_to(user).select_related("project", "owner", "team")


def overdue_q(today: dt.date | None = None) -> Q:
    """Concerns not answered whose answer was due before `today`."""
    today = today or timezone.localdate()
    return Q(
        status__in=OPEN_CONCERN_STATUSES,
        responded_on__isnull=True,
        response_due_on__lt=today,
    )


# --- the grid ----------------------------------------------------------------------------------
@dataclass
class GridPoint:
    """One stakeholder on the grid: the current assessment and the one before (if visible)."""

    current: StakeholderAssessment
    earlier: StakeholderAssessment | None = None

    @property
    def name(self) -> str:
        return self.current.stakeholder_name

    @property
    def position(self) -> tuple[int, int]:
        """(interest, power): x and y on the grid."""
        return (self.current.interest, self.current.power)

    @property
    def earlier_position(self) -> tuple[int, int] | None:
        if self.earlier is None:
            return None
        return (self.earlier.interest, self.earlier.power)

    @property
    def movement(self) -> engine.Movement | None:
        if self.earlier is None:
            return None
        return engine.movement(
            (self.earlier.power, self.earlier.interest),
            (self.current.power, self.current.interest),
        )

    @property
    def quadrant(self) -> str:
        return self.current.quadrant


@dataclass
class Grid:
    points: list[GridPoint] = field(default_factory=list)

    def by_quadrant(self) -> dict[str, list[GridPoint]]:
        out: dict[str, list[GridPoint]] = {q: [] for q in engine.QUADRANTS}
        for point in self.points:
            out[point.quadrant].append(point)
        return out


def power_interest_grid(
    user: Any,
    *,
    project: Any = None,
    category: str = "",
    general: bool = False,
) -> Grid:
    """The current assessments the user may see (of one project; `general`: those without a
    project; neither: all), each with the visible assessment before it of the same stakeholder
    and project. Two queries, whatever the number of stakeholders."""
    current = assessment_list(user).filter(is_current=True)
    if project is not None:
        current = current.filter(project=getattr(project, "pk", project))
    elif general:
        current = current.filter(project__isnull=True)
    if category:
        current = current.filter(category=category)
    rows = list(current.order_by("-power", "-interest", "id"))
    if not rows:
        return Grid()
    keys = {(r.organization_id, r.person_id, r.project_id) for r in rows}
    org_ids = {k[0] for k in keys if k[0]}
    person_ids = {k[1] for k in keys if k[1]}
    earlier_qs = (
        StakeholderAssessment.objects.visible_to(user)
        .filter(is_current=False)
        .filter(Q(organization_id__in=org_ids) | Q(person_id__in=person_ids))
        .only(
            "id",
            "organization_id",
            "person_id",
            "project_id",
            "power",
            "interest",
            "attitude",
            "assessed_on",
            "legitimacy",
            "urgency",
            "salience",
            "category",
        )
        .order_by("-assessed_on", "-id")
    )
    if project is not None:
        earlier_qs = earlier_qs.filter(project=getattr(project, "pk", project))
    earlier: dict[tuple[Any, Any, Any], StakeholderAssessment] = {}
    for row in earlier_qs:
        key = (row.organization_id, row.person_id, row.project_id)
        if key in keys and key not in earlier:
            earlier[key] = row
    return Grid(
        points=[
            GridPoint(
                current=r, earlier=earlier.get((r.organization_id, r.person_id, r.project_id))
            )
            for r in rows
        ]
    )


# --- history of one stakeholder ----------------------------------------------------------------
def stakeholder_history(
    user: Any, *, organization: Any = None, person: Any = None, project: Any = "any"
) -> list[StakeholderAssessment]:
    """The visible assessments of one organization or person, oldest first (of one project, of
    none when `project` is None, of all with "any")."""
    qs = StakeholderAssessment.objects.visible_to(user).select_related("project", "assessed_by")
    if organization is not None:
        qs = qs.filter(organization=getattr(organization, "pk", organization))
    elif person is not None:
        qs = qs.filter(person=getattr(person, "pk", person))
    else:
        return []
    if project != "any":
        qs = (
            qs.filter(project=getattr(project, "pk", project))
            if project
            else qs.filter(project__isnull=True)
        )
    return list(qs.order_by("assessed_on", "id"))


# --- a project's page --------------------------------------------------------------------------
def project_detail(user: Any, project: StakeholderProject) -> dict[str, Any]:
    today = timezone.localdate()
    concerns = concern_list(user).filter(project=project)
    return {
        "grid": power_interest_grid(user, project=project),
        "plans": list(plan_list(user).filter(project=project).order_by("next_review_on", "id")),
        "open_concerns": list(
            concerns.filter(status__in=OPEN_CONCERN_STATUSES).order_by("response_due_on", "id")
        ),
        "concern_count": concerns.count(),
        "overdue_count": concerns.filter(overdue_q(today)).count(),
        "consultations": list(consultation_list(user).filter(project=project)[:20]),
        "today": today,
    }


def plan_items(user: Any, plan: EngagementPlan) -> list[PlannedEngagement]:
    return list(
        PlannedEngagement.objects.filter(plan=plan)
        .select_related("interaction")
        .order_by("planned_on", "id")
    )


def consultation_detail(user: Any, consultation: Consultation) -> dict[str, Any]:
    from accord.interactions.models import Interaction

    linked = consultation.interactions.order_by("occurred_at", "id")
    visible = list(linked.filter(visibility.visibility_q(Interaction, user)))
    return {
        "interactions": visible,
        "hidden_interactions": linked.count() - len(visible),
        "concerns": list(concern_list(user).filter(consultation=consultation)),
    }


def concern_detail(user: Any, concern: Concern) -> dict[str, Any]:
    from accord.contracts.models import Commitment

    linked = concern.commitments.order_by("due_date", "id")
    visible = list(linked.filter(visibility.visibility_q(Commitment, user)))
    return {"commitments": visible, "hidden_commitments": linked.count() - len(visible)}


# --- organization and person pages -------------------------------------------------------------
def party_summary(user: Any, *, organization: Any = None, person: Any = None) -> dict[str, Any]:
    """The current assessments (per project) and the open concerns of one organization or person."""
    if organization is not None:
        where = {"organization": getattr(organization, "pk", organization)}
    else:
        where = {"person": getattr(person, "pk", person)}
    assessments = list(
        assessment_list(user).filter(is_current=True, **where).order_by("project__name", "id")
    )
    concerns = list(
        concern_list(user)
        .filter(status__in=OPEN_CONCERN_STATUSES, **where)
        .order_by("response_due_on", "id")[:FRAGMENT_ROWS]
    )
    return {"assessments": assessments, "concerns": concerns, "today": timezone.localdate()}


def visible_party(user: Any, model: type[Organization] | type[Person], pk: int) -> Any:
    return model.objects.visible_to(user).filter(pk=pk).first()
