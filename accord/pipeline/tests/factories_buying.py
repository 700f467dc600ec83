"""Test data for buying centers: people with positions at an organization, interactions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.interactions.tests.factories import InteractionFactory
from accord.parties.models import Organization, Person, Position


def make_person_at(
    organization: Organization,
    *,
    last_name: str,
    role: str = "",
    title: str = "",
    end_date: dt.date | None = None,
    owner: Any = None,
    team: Any = None,
    first_name: str = "",
) -> Person:
    """A person with one position at `organization` (owned like the organization by default)."""
    person = Person.objects.create(
        first_name=first_name,
        last_name=last_name,
        owner=owner if owner is not None else organization.owner,
        team=team if team is not None else organization.team,
    )
    Position.objects.create(
        person=person,
        organization=organization,
        title=title,
        buying_role=role,
        end_date=end_date,
    )
    return person


def talk_to(person: Person, *, days_ago: float, owner: Any = None) -> Any:
    """An interaction with the person `days_ago` days ago (negative: scheduled in the future)."""
    return InteractionFactory(
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        people=[person],
        owner=owner or person.owner,
        team=person.team,
    )
