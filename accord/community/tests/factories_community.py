"""Test data for the community app: rows built directly (as fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.community.models import (
    Concern,
    Consultation,
    EngagementPlan,
    PlannedEngagement,
    StakeholderAssessment,
    StakeholderProject,
)
from accord.community.services import refresh_current
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person


def make_org(*, owner=None, team=None, name: str = "Stadt Musterstadt") -> Organization:
    return Organization.objects.create(name=name, owner=owner, team=team, is_authority=True)


def make_person(*, owner=None, team=None, last_name: str = "Weiß") -> Person:
    return Person.objects.create(first_name="Jana", last_name=last_name, owner=owner, team=team)


def make_project(*, owner=None, team=None, **kwargs: Any) -> StakeholderProject:
    values = {"name": "Erweiterung Werk Nord", "location": "Gewerbegebiet Nord", **kwargs}
    return StakeholderProject.objects.create(owner=owner, team=team, **values)


def make_assessment(*, owner=None, team=None, **kwargs: Any) -> StakeholderAssessment:
    if "organization" not in kwargs and "person" not in kwargs:
        kwargs["organization"] = make_org(owner=owner, team=team)
    values = {
        "category": "municipality",
        "power": 4,
        "interest": 3,
        "legitimacy": True,
        "urgency": False,
        "attitude": "neutral",
        "assessed_on": timezone.localdate() - dt.timedelta(days=10),
        **kwargs,
    }
    row = StakeholderAssessment.objects.create(owner=owner, team=team, **values)
    refresh_current(row.organization_id, row.person_id, row.project_id)
    row.refresh_from_db()
    return row


def make_plan(*, owner=None, team=None, **kwargs: Any) -> EngagementPlan:
    if "organization" not in kwargs and "person" not in kwargs:
        kwargs["organization"] = make_org(owner=owner, team=team)
    values = {"current_level": "resistant", "target_level": "supportive", **kwargs}
    return EngagementPlan.objects.create(owner=owner, team=team, **values)


def make_item(*, plan: EngagementPlan, **kwargs: Any) -> PlannedEngagement:
    values = {"planned_on": timezone.localdate(), "purpose": "Ortstermin", **kwargs}
    return PlannedEngagement.objects.create(plan=plan, **values)


def make_concern(*, owner=None, team=None, **kwargs: Any) -> Concern:
    if "organization" not in kwargs and "person" not in kwargs:
        kwargs["organization"] = make_org(owner=owner, team=team, name="Bürgerinitiative Nord")
    received = kwargs.pop("received_on", timezone.localdate() - dt.timedelta(days=2))
    values = {
        "title": "Lkw-Verkehr in der Nacht",
        "received_on": received,
        "response_due_on": received + dt.timedelta(days=14),
        **kwargs,
    }
    return Concern.objects.create(owner=owner, team=team, **values)


def make_consultation(*, owner=None, team=None, **kwargs: Any) -> Consultation:
    values = {
        "title": "Bürgerinformationsabend",
        "starts_on": timezone.localdate() - dt.timedelta(days=5),
        "place": "Bürgerhaus",
        **kwargs,
    }
    return Consultation.objects.create(owner=owner, team=team, **values)


def make_interaction(*, owner=None, team=None, subject: str = "Gespräch im Rathaus") -> Interaction:
    return Interaction.objects.create(
        kind="meeting", subject=subject, owner=owner, team=team, occurred_at=timezone.now()
    )
