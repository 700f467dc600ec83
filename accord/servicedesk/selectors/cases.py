"""Reads of cases, visibility applied: the list (with breach flags for filters and the SLA
column), a case's page (clock, conversation, notes, breaches), an organization's open cases,
and the live service-level clock of one case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine import business_hours as bh
from accord.interactions.models import Interaction

from ..models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    BreachKind,
    Case,
    CaseBreach,
    CaseNote,
    CaseStatus,
)
from .servicelevels import ScheduleBook

ORGANIZATION_CASES = 10


def case_list(user: Any) -> QuerySet[Case]:
    """Visible cases with their organization, person, owner, team and category, and whether a
    target was missed (`has_breach`)."""
    visible: QuerySet[Case] = Case.objects.filter(visibility.visibility_q(Case, user))
    return visible.select_related("organization", "person", "owner", "team", "category").annotate(
        has_breach=Exists(CaseBreach.objects.filter(case=OuterRef("pk")))
    )


def case_api_list(user: Any) -> QuerySet[Case]:
    return case_list(user).order_by("-opened_at", "-id")


def breached_q(now: dt.datetime) -> Q:
    """Cases that missed a target: recorded, or overdue and not yet recorded by the check."""
    return (
        Q(Exists(CaseBreach.objects.filter(case=OuterRef("pk"))))
        | Q(
            first_responded_at__isnull=True,
            status__in=OPEN_STATUSES,
            first_response_due_at__lte=now,
        )
        | Q(status__in=RUNNING_STATUSES, resolution_due_at__lte=now)
    )


def at_risk_q(now: dt.datetime) -> Q:
    """Open cases past the warning point of a running target that is not due yet."""
    return Q(
        first_responded_at__isnull=True,
        status__in=OPEN_STATUSES,
        first_response_warn_at__lte=now,
        first_response_due_at__gt=now,
    ) | Q(status__in=RUNNING_STATUSES, resolution_warn_at__lte=now, resolution_due_at__gt=now)


def open_cases_of_organization(user: Any, organization: Any) -> tuple[list[Case], int]:
    """The organization's open cases the user may see (most urgent due first) and how many."""
    pk = getattr(organization, "pk", organization)
    qs = case_list(user).filter(organization_id=pk, status__in=OPEN_STATUSES)
    count = qs.count()
    rows = list(qs.order_by("resolution_due_at", "-opened_at")[:ORGANIZATION_CASES])
    return rows, count


@dataclass
class Clock:
    """One target of a case as its page shows it."""

    kind: str
    label: str
    target_hours: float | None
    due_at: dt.datetime | None
    used_hours: float
    left_hours: float | None
    percent: int | None
    state: str  # "met", "missed", "breached", "at_risk", "running", "paused", "none"
    done_at: dt.datetime | None = None


def _round(value: float) -> float:
    return round(value, 2)


def case_clocks(case: Case, now: dt.datetime | None = None) -> list[Clock]:
    """The first-response and resolution clocks of `case` at `now`: due time, business hours
    used and left, and state."""
    from ..services.cases import elapsed_resolution_seconds

    now = now or timezone.now()
    schedule: bh.Schedule = ScheduleBook().schedule_for(case.team_id)
    policy = case.policy
    labels = dict(BreachKind.choices)
    clocks: list[Clock] = []
    if policy is None:
        return [
            Clock(k, str(labels[k]), None, None, 0.0, None, None, "none")
            for k in (BreachKind.FIRST_RESPONSE, BreachKind.RESOLUTION)
        ]
    warn = policy.warning_percent
    # first response
    target = float(policy.first_response_hours)
    if case.first_responded_at is not None:
        used = (case.first_response_seconds or 0) / 3600
        state = "missed" if used > target else "met"
        done: dt.datetime | None = case.first_responded_at
    else:
        used = max(0.0, bh.business_seconds(schedule, case.opened_at, now)) / 3600
        done = None
        state = _running_state(used, target, warn)
        if case.status not in OPEN_STATUSES:
            state = "none"
    clocks.append(
        Clock(
            BreachKind.FIRST_RESPONSE,
            str(labels[BreachKind.FIRST_RESPONSE]),
            target,
            case.first_response_due_at,
            _round(used),
            None if done else _round(target - used),
            round(100 * used / target) if target else None,
            state,
            done,
        )
    )
    # resolution
    target = float(policy.resolution_hours)
    if case.resolution_seconds is not None and case.status in (
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
    ):
        used = case.resolution_seconds / 3600
        state = "missed" if used > target else "met"
        done = case.resolved_at
        due = None
    else:
        used = elapsed_resolution_seconds(case, schedule, now) / 3600
        done = None
        due = case.resolution_due_at
        state = _running_state(used, target, warn)
        if case.status == CaseStatus.WAITING and state != "breached":
            state = "paused"
    clocks.append(
        Clock(
            BreachKind.RESOLUTION,
            str(labels[BreachKind.RESOLUTION]),
            target,
            due,
            _round(used),
            None if done else _round(target - used),
            round(100 * used / target) if target else None,
            state,
            done,
        )
    )
    return clocks


def _running_state(used: float, target: float, warn: int) -> str:
    if used >= target:
        return "breached"
    if used >= target * warn / 100:
        return "at_risk"
    return "running"


def case_detail(user: Any, case: Case) -> dict[str, Any]:
    """What the case page shows besides its facts: the clocks, the conversation the user may
    see (and how many other messages there are), the notes and the recorded breaches."""
    linked = case.interactions.order_by("-occurred_at", "-id")
    q = visibility.visibility_q(Interaction, user)
    visible = list(linked.filter(q).select_related("owner"))
    total = linked.count()
    return {
        "clocks": case_clocks(case),
        "conversation": visible,
        "hidden_conversation": total - len(visible),
        "notes": list(
            CaseNote.objects.filter(case=case).select_related("author").order_by("-created_at")
        ),
        "breaches": list(CaseBreach.objects.filter(case=case).order_by("breached_at")),
    }
