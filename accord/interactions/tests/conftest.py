"""Fixtures for the interaction tests: two teams, a member in each, an admin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType

from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person

from .factories import TeamFactory, UserFactory


@pytest.fixture
def people_and_teams(db):
    # The ContentType cache is warm on a running server; query budgets assume so.
    ContentType.objects.get_for_models(Interaction, FollowUp, Organization, Person)
    team_a, team_b = TeamFactory(name="Vertrieb Nord"), TeamFactory(name="Einkauf Süd")
    return SimpleNamespace(
        team_a=team_a,
        team_b=team_b,
        anna=UserFactory(email="anna@example.test", first_name="Anna", teams=[team_a]),
        ben=UserFactory(email="ben@example.test", first_name="Ben", teams=[team_a]),
        carla=UserFactory(email="carla@example.test", first_name="Carla", teams=[team_b]),
        viewer=UserFactory(email="vera@example.test", role="viewer", teams=[team_a]),
        admin=UserFactory(email="admin@example.test", role="admin"),
    )
