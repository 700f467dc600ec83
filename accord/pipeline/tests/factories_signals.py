"""Test data for market signals: built directly (as fixtures), links set after the row exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.interactions.models import Interaction
from accord.parties.models import Person
from accord.pipeline.models import MarketSignal


def make_signal(*, owner=None, team=None, **kwargs: Any) -> MarketSignal:
    organizations = kwargs.pop("organizations", [])
    people = kwargs.pop("people", [])
    interactions = kwargs.pop("interactions", [])
    values = {
        "title": "Kunde fragt nach Fernwartung",
        "topic": "Fernwartung",
        "kind": "feedback",
        "direction": "request",
        "industry": "manufacturing",
        "observed_on": timezone.localdate() - dt.timedelta(days=3),
        **kwargs,
    }
    signal = MarketSignal.objects.create(owner=owner, team=team, **values)
    if organizations:
        signal.organizations.set(organizations)
    if people:
        signal.people.set(people)
    if interactions:
        signal.interactions.set(interactions)
    return signal


def make_person(*, owner=None, team=None, organization=None, last_name="Roth") -> Person:
    return Person.objects.create(
        first_name="Anna", last_name=last_name, owner=owner, team=team, organization=organization
    )


def make_interaction(*, owner=None, team=None, subject="Besuch: Wärmepumpen") -> Interaction:
    return Interaction.objects.create(
        kind="meeting", subject=subject, owner=owner, team=team, occurred_at=timezone.now()
    )
